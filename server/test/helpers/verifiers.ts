/**
 * The two checkers of an exported recording file: `cli verify` (the server's own training
 * code) and the standalone re-simulator tools/resim/resim.mjs (written from
 * docs/resimulation.md alone), each run on a file and answering with its exit code and
 * its JSON reply; and forged copies of a file, one value changed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent } from '@backprop/shared/session';
import { cli } from './cli';

const RESIM = join(import.meta.dirname, '../../../tools/resim/resim.mjs');

export interface Verdict {
  /** 0 verified, 1 a value differs (reply.firstDivergence), 2 not a readable recording. */
  code: number;
  reply: { ok: boolean; checked?: number; firstDivergence?: Record<string, unknown> } | null;
}

/** `text` written to a file of its own in a fresh temporary folder; its path. */
export function tempFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bpl-resim-')), 'recording.ndjson');
  writeFileSync(path, text);
  return path;
}

/** The standalone re-simulator on the file at `path`, in a process of its own. */
export function resim(path: string): Promise<Verdict> {
  return new Promise((resolve) => {
    execFile(process.execPath, [RESIM, path], (err, stdout) => {
      const reply = stdout ? (JSON.parse(stdout) as Verdict['reply']) : null;
      resolve({ code: err ? Number(err.code) : 0, reply });
    });
  });
}

/** `cli verify` on the file at `path`, in-process. */
export function verify(path: string): Verdict {
  const ran = cli(['verify', path]);
  return {
    code: ran.code,
    reply: ran.stdout ? (JSON.parse(ran.stdout) as Verdict['reply']) : null,
  };
}

/**
 * A copy of the recording `text` with its first event that `pick` accepts passed through
 * `change` (which edits it in place), and that event's seq.
 */
export function forged(
  text: string,
  pick: (event: SessionEvent) => boolean,
  change: (event: SessionEvent) => void,
): { text: string; seq: number } {
  const lines = text.trimEnd().split('\n');
  const k = lines.findIndex((line, i) => i > 0 && pick(JSON.parse(line) as SessionEvent));
  if (k < 1) throw new Error('no event to forge');
  const event = JSON.parse(lines[k]!) as SessionEvent;
  change(event);
  lines[k] = JSON.stringify(event);
  return { text: `${lines.join('\n')}\n`, seq: event.seq };
}
