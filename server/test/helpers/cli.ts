import { vi } from 'vitest';
import { main } from '../../src/cli/main';
import type { Terminal } from '../../src/cli/terminal';

/** Runs the command line's main() in-process and captures what it prints. */
export function cli(
  argv: string[],
  terminal?: Terminal,
): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk) => ((stdout += String(chunk)), true),
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (chunk) => ((stderr += String(chunk)), true),
  );
  try {
    return { code: main(argv, terminal), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
