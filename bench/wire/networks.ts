/** The networks `bench:wire` measures: the default, two mid-sized ones, the largest allowed. */
export interface NetworkCase {
  name: string;
  /** The host:setup payload; null keeps the new session's default (houses 3-4-1). */
  setup: Record<string, unknown> | null;
}

const setup = (datasetId: string, hidden: number[], activations: string[]) => ({
  datasetId,
  hidden,
  activations,
  trainBiases: true,
  seed: 1,
  normalize: datasetId === 'houses',
  testFraction: datasetId === 'houses' ? 0.2 : 0,
});

export const NETWORKS: NetworkCase[] = [
  { name: 'default 3-4-1 houses', setup: null },
  { name: '2-8-8-1 xor', setup: setup('xor', [8, 8], ['tanh', 'tanh', 'sigmoid']) },
  { name: '3-16-16-1 houses', setup: setup('houses', [16, 16], ['tanh', 'tanh', 'linear']) },
  {
    name: 'largest 3-64×6-1 houses',
    setup: setup('houses', Array(6).fill(64), [...Array(6).fill('tanh'), 'linear']),
  },
];
