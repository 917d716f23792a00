/** Stepping together in words: the quorum and the size of a class step. */

import type { Granularity, Quorum } from '@backprop/shared/session';
import { countText } from '../plural';

/** 'more than half', 'everyone', '75 %', '5 students' (completing "When … are ready"). */
export function quorumText(quorum: Quorum): string {
  switch (quorum.kind) {
    case 'majority':
      return 'more than half';
    case 'all':
      return 'all';
    case 'percent':
      return `${quorum.value} %`;
    case 'count':
      return countText(quorum.value, 'student');
  }
}

/** 'one stage', 'one sample', … (completing "the class takes …"). */
export function granularityText(granularity: Granularity): string {
  switch (granularity) {
    case 'stage':
      return 'one stage of the step';
    case 'sample':
      return 'a step on one sample';
    case 'batch':
      return 'a step on one batch';
    case 'epoch':
      return 'a whole epoch';
  }
}

export const GRANULARITIES: { value: Granularity; label: string }[] = [
  { value: 'stage', label: 'Stage' },
  { value: 'sample', label: 'Sample' },
  { value: 'batch', label: 'Batch' },
  { value: 'epoch', label: 'Epoch' },
];
