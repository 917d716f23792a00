/** The scenarios of bench:client: who looks (phone or projector), at which network, where. */
export interface Scenario {
  name: string;
  /** 'floor': bench/client/floor.html at the phone's size and throttling (see there). */
  view: 'student' | 'projector' | 'floor';
  /** host:setup's dataset and hidden layers; absent = the default session (houses 3-4-1). */
  network?: {
    datasetId: 'houses' | 'xor' | 'spiral';
    hidden: number[];
    /** The plane data set's input features (spiral): the network's inputs. */
    features?: string[];
  };
  /** The student's panel (its heading) scrolled into view before measuring. */
  panel?: string;
  /**
   * Play this long before the warm-up: the page as it is well into a lesson rather than in
   * its first seconds (a loss history of a thousand points or more, a step in six digits).
   */
  playedMs?: number;
}

const LARGEST = { datasetId: 'houses' as const, hidden: [64, 64, 64, 64, 64, 64] };
/** The spiral lesson with feature crosses: 5-8-8-1. */
const SPIRAL_WITH_FEATURES = {
  datasetId: 'spiral' as const,
  hidden: [8, 8],
  features: ['x1', 'x2', 'x1x2', 'sin1', 'sin2'],
};

/** The student view's panels, by their (screen-reader) headings. */
export const STUDENT_PANELS = [
  'Network diagram',
  'Inspector',
  'Where the step is',
  'Numbers',
  'Loss over training steps',
];

export const SCENARIOS: Scenario[] = [
  { name: 'floor', view: 'floor' },
  { name: 'phone-default', view: 'student' },
  { name: 'phone-2-8-8-1', view: 'student', network: { datasetId: 'xor', hidden: [8, 8] } },
  { name: 'phone-3-16-16-1', view: 'student', network: { datasetId: 'houses', hidden: [16, 16] } },
  { name: 'phone-largest', view: 'student', network: LARGEST },
  ...STUDENT_PANELS.map((panel) => ({
    name: `phone-panel-${panel.split(' ')[0]!.toLowerCase()}`,
    view: 'student' as const,
    panel,
  })),
  // Issue 13: what the playground's pictures (the output heatmap, a picture in every unit)
  // cost a phone while the spiral trains.
  {
    name: 'phone-spiral-heatmap',
    view: 'student',
    network: { datasetId: 'spiral', hidden: [8, 8], features: ['x1', 'x2'] },
    panel: 'Output over the input plane',
  },
  {
    name: 'phone-spiral-features-heatmap',
    view: 'student',
    network: SPIRAL_WITH_FEATURES,
    panel: 'Output over the input plane',
  },
  // The classic lesson's diagram: every unit's picture over the plane inside its circle.
  {
    name: 'phone-spiral-network',
    view: 'student',
    network: SPIRAL_WITH_FEATURES,
    panel: 'Network diagram',
  },
  // Two minutes into play: what the first seconds do not show (the loss chart and the
  // reducer over a long history, a heap that has settled).
  { name: 'phone-lesson', view: 'student', panel: 'Loss over training steps', playedMs: 120_000 },
  { name: 'projector-default', view: 'projector' },
  { name: 'projector-largest', view: 'projector', network: LARGEST },
];

/** The network's layers, written as the docs do (3-4-1). */
export function networkName(scenario: Scenario): string {
  const network = scenario.network;
  const inputs = network?.features?.length ?? (network?.datasetId === 'xor' ? 2 : 3);
  return [inputs, ...(scenario.network?.hidden ?? [4]), 1].join('-');
}
