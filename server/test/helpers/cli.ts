import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { main } from '../../src/cli/main';
import type { Terminal } from '../../src/cli/terminal';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command line's main() in-process and captures what it prints (sync commands). */
export function cli(argv: string[], terminal?: Terminal): Ran {
  const output = capture();
  try {
    const code = main(argv, terminal);
    if (typeof code !== 'number') throw new Error(`${argv[0]} is asynchronous: use cliAsync`);
    return { code, ...output };
  } finally {
    vi.restoreAllMocks();
  }
}

/** As cli(), awaiting the commands that run asynchronously (backup). */
export async function cliAsync(argv: string[], terminal?: Terminal): Promise<Ran> {
  const output = capture();
  try {
    const code = await main(argv, terminal);
    return { code, ...output };
  } finally {
    vi.restoreAllMocks();
  }
}

/** The recording exported over HTTP from `server` (a test server, a node) passes `cli verify`. */
export async function expectExportVerifies(
  server: { url: string },
  replayId: string,
): Promise<void> {
  const res = await fetch(`${server.url}/api/recordings/${replayId}/export`);
  expect(res.status).toBe(200);
  const path = join(mkdtempSync(join(tmpdir(), 'bpl-export-')), 'lesson.ndjson');
  writeFileSync(path, await res.text());
  const verified = cli(['verify', path]);
  expect(verified.stderr).toBe('');
  expect(verified.code).toBe(0);
}

/** stdout and stderr as written so far, until vi.restoreAllMocks(). */
function capture(): { readonly stdout: string; readonly stderr: string } {
  const output = { stdout: '', stderr: '' };
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk) => ((output.stdout += String(chunk)), true),
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (chunk) => ((output.stderr += String(chunk)), true),
  );
  return output;
}
