/**
 * The seeded random source. Everything random in the kernel (initial weights, sample
 * order) comes from here, so the same seed replays the same session bit for bit.
 *
 * mulberry32 (Tommy Ettinger's generator, in the form popularised by bryc/code
 * "PRNGs.md"): 32 bits of state, period 2^32, fast and good enough for teaching-size
 * networks. It is not cryptographic. Recorded sessions depend on this exact sequence:
 * changing it breaks the re-simulation of old recordings.
 */

/**
 * A generator of numbers in [0, 1) (multiples of 2^−32). The seed must be an integer; it
 * is reduced modulo 2^32, so −1 and 4294967295 are the same seed.
 */
export function createRng(seed: number): () => number {
  const generator = new SeededRng(seed);
  return () => generator.next();
}

/**
 * createRng's generator as an object whose state can be copied: a fork (a learning-rate
 * race) continues the very same sequence as the original from where it is.
 */
export class SeededRng {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    const state = this.state;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  clone(): SeededRng {
    const copy = new SeededRng(0);
    copy.state = this.state;
    return copy;
  }
}

/** Fisher–Yates (Durstenfeld) shuffle: every permutation equally likely, no allocation. */
export function shuffleInPlace(array: Uint32Array, rng: () => number): void {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const held = array[i]!;
    array[i] = array[j]!;
    array[j] = held;
  }
}
