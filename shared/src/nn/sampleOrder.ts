/**
 * The order in which training rows are visited: a seeded shuffle per epoch, served in
 * batches. The same seed gives the same order, so a recorded session re-simulates exactly.
 */
import { SeededRng, shuffleInPlace } from './random';

export class SampleOrder {
  readonly rows: number;
  /** Epochs completed so far. */
  epoch = 0;
  /** Rows of the current epoch already served. */
  position = 0;
  private readonly rng: SeededRng;
  private readonly permutation: Uint32Array;

  constructor(rows: number, seed: number) {
    if (!Number.isInteger(rows) || rows < 1 || rows > 0xffffffff) {
      throw new RangeError(`rows must be a whole number ≥ 1, got ${rows}`);
    }
    this.rows = rows;
    this.rng = new SeededRng(seed);
    this.permutation = new Uint32Array(rows);
    for (let k = 0; k < rows; k++) this.permutation[k] = k;
    this.shuffle();
  }

  /**
   * An independent copy in the same state: it serves exactly the batches this one would
   * serve next, and drawing from it leaves this one alone.
   */
  clone(): SampleOrder {
    return Object.assign(Object.create(SampleOrder.prototype) as SampleOrder, {
      rows: this.rows,
      epoch: this.epoch,
      position: this.position,
      rng: this.rng.clone(),
      permutation: this.permutation.slice(),
    });
  }

  /** The row order of the current epoch (read-only by contract: don't write into it). */
  get order(): Uint32Array {
    return this.permutation;
  }

  /**
   * Writes the row indices of the next batch into `out` and returns how many. A batch never
   * crosses an epoch boundary, so the last batch of an epoch may be short; when an epoch is
   * used up, `epoch` goes up and the rows are reshuffled (seeded) for the next one.
   */
  nextBatch(batchSize: number, out: Uint32Array): number {
    if (!Number.isInteger(batchSize) || batchSize < 1 || out.length < batchSize) {
      throw new RangeError(
        `batchSize must be a whole number from 1 to out.length (${out.length}), got ${batchSize}`,
      );
    }
    const count = Math.min(batchSize, this.rows - this.position);
    for (let n = 0; n < count; n++) out[n] = this.permutation[this.position + n]!;
    this.position += count;
    if (this.position === this.rows) {
      this.epoch++;
      this.position = 0;
      this.shuffle();
    }
    return count;
  }

  private shuffle(): void {
    shuffleInPlace(this.permutation, () => this.rng.next());
  }
}

/**
 * Copies rows `indices[0 … count)` of a row-major table of `width` columns (inputs or
 * targets of a dataset) into `out`, one after the other.
 */
export function gatherBatch(
  data: ArrayLike<number>,
  width: number,
  indices: ArrayLike<number>,
  count: number,
  out: Float64Array,
): void {
  if (out.length < count * width || indices.length < count) {
    throw new RangeError(`gatherBatch: ${count} rows of ${width} do not fit`);
  }
  for (let n = 0; n < count; n++) {
    const from = indices[n]! * width;
    if (!(from + width <= data.length)) {
      throw new RangeError(`gatherBatch: row ${indices[n]} is outside the data`);
    }
    for (let k = 0; k < width; k++) out[n * width + k] = data[from + k]!;
  }
}
