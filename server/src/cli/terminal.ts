import type { ProgressStream } from './progress';

/** What the command line reports to besides its output: stderr and a clock (fakes in tests). */
export interface Terminal {
  stderr: ProgressStream;
  now: () => number;
}

export const TERMINAL: Terminal = { stderr: process.stderr, now: () => performance.now() };
