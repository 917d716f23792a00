/** Where a progress bar may be drawn: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  /** True only on a terminal: piped or redirected output never gets a bar. */
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  update(step: number, loss: number): void;
  /** Draws the last state and ends the line, if a bar was drawn at all. */
  done(): void;
}

/** Redraws at most this often: a terminal cannot show more, and drawing costs time. */
const REDRAW_MS = 100;
const NO_PROGRESS: Progress = { update: () => undefined, done: () => undefined };

/**
 * A one-line bar (steps, loss, rate) redrawn in place with a carriage return, on a
 * terminal only; a run shorter than one redraw interval draws nothing.
 */
export function progressBar(
  stream: ProgressStream,
  total: number,
  now: () => number = () => performance.now(),
): Progress {
  if (!stream.isTTY || total <= 0) return NO_PROGRESS;
  const started = now();
  let drawnAt = started;
  let drawn = false;
  let last = { step: 0, loss: NaN };
  const draw = (at: number) => {
    // A terminal of unknown size (a pty nobody sized) reports 0 columns.
    const columns = stream.columns || undefined;
    const line = progressLine(last.step, total, last.loss, (at - started) / 1000, columns);
    stream.write(`\r${line}\x1b[K`);
    drawnAt = at;
    drawn = true;
  };
  return {
    update(step, loss) {
      last = { step, loss };
      const at = now();
      if (at - drawnAt >= REDRAW_MS) draw(at);
    },
    done() {
      if (!drawn) return;
      draw(now());
      stream.write('\n');
    },
  };
}

/**
 * "[#####-----]  50%   500/1000 steps  loss 1.234e-2     4321 steps/s", shorter than the
 * terminal is wide (a wrapped line could not be redrawn in place): the bar shrinks, then goes.
 */
export function progressLine(
  step: number,
  total: number,
  loss: number,
  seconds: number,
  columns = 80,
): string {
  const fraction = Math.min(1, step / total);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const rate = seconds > 0 ? Math.round(step / seconds) : 0;
  // Fixed-width fields, so the bar keeps its length from one redraw to the next.
  const steps = `${String(step).padStart(String(total).length)}/${total}`;
  const text = ` ${percent}  ${steps} steps  loss ${loss.toExponential(3)}  ${String(rate).padStart(7)} steps/s`;
  const width = Math.min(40, columns - 1 - text.length - 2);
  if (width < 10) return text.trimStart().slice(0, columns - 1);
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${text}`;
}
