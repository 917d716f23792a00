/**
 * Timeline markers: the moments of a recording worth a tick on the replay's scrubber.
 * One switch on the event type decides; a new event type must be placed here (the
 * `never` check fails tsc until it is), and new kinds (votes, quizzes, …) are one case each.
 */
import type { SessionEvent } from '../session/events';
import type { SessionState } from '../session/state';
import { isParticipationEvent } from '../session/participation/events';
import { participationMarker, type ParticipationMarkerKind } from './participationMarkers';

export type MarkerKind =
  | 'setup'
  | 'rate'
  | 'reset'
  | 'weight'
  | 'diverged'
  | 'join'
  | 'ended'
  /** Placed by the host (host:marker), with the host's label. */
  | 'marker'
  | ParticipationMarkerKind;

export interface TimelineMarker {
  seq: number;
  t: number;
  kind: MarkerKind;
  label: string;
}

/** The marker of `event`, given the state just before it; null for routine events. */
export function markerFor(event: SessionEvent, before: SessionState): TimelineMarker | null {
  const mark = (kind: MarkerKind, label: string): TimelineMarker => ({
    seq: event.seq,
    t: event.t,
    kind,
    label,
  });
  switch (event.type) {
    case 'setup-changed': {
      const { datasetTitle, layers } = event.setup;
      return mark('setup', `${datasetTitle}, ${layers.join('-')} network`);
    }
    case 'hyper-changed': {
      const from = before.hyper.learningRate;
      const to = event.hyper.learningRate;
      // A change of batch size or speed alone is routine.
      return to === from ? null : mark('rate', `Learning rate ${from} → ${to}`);
    }
    case 'reset':
      return mark('reset', 'Reset to the initial weights');
    case 'weight-edited':
      return mark(
        'weight',
        `w${event.layer + 1} (unit ${event.from} → ${event.to}) set to ${event.value}`,
      );
    case 'diverged':
      return mark('diverged', `Diverged at step ${event.divergence.step}`);
    case 'participant-joined':
      return mark('join', `${event.participant.name} joined`);
    case 'ended':
      return mark('ended', 'Session ended');
    case 'marker':
      return mark('marker', event.label);
    case 'participant-connection':
    case 'participant-kicked':
    case 'host-connection':
    case 'locked':
    case 'title-set':
    case 'staged-step-opened':
    case 'stage-ran':
    case 'stepped':
    case 'progressed':
    case 'frame':
    case 'play-changed':
    case 'class-view-set':
      return null;
    default: {
      if (!isParticipationEvent(event)) return unreachable(event);
      const marker = participationMarker(event, before);
      return marker && mark(marker.kind, marker.label);
    }
  }
}

function unreachable(event: never): null {
  void event;
  return null;
}
