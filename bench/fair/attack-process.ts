/**
 * Starts the attackers (attackers.ts) in a child process and waits until their rooms
 * play; stop() ends them and returns the steps each room trained meanwhile.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Attack {
  /** Ends the attack: the steps each room trained from its first frame to its last. */
  stop(): Promise<number[]>;
}

const script = fileURLToPath(new URL('./attackers.ts', import.meta.url));

export async function startAttack(
  url: string,
  rooms: number,
  addresses: string[],
): Promise<Attack> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, url, String(rooms), addresses.join(',')],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  let exited = false;
  lines.on('line', (line) => {
    queue.push(line);
    wake?.();
  });
  child.on('exit', () => {
    exited = true;
    wake?.();
  });
  const nextLine = async (): Promise<Record<string, unknown>> => {
    while (queue.length === 0) {
      if (exited) throw new Error('the attackers exited early');
      await new Promise<void>((resolve) => (wake = resolve));
    }
    return JSON.parse(queue.shift()!) as Record<string, unknown>;
  };
  const started = await nextLine();
  if (started.playing !== rooms) throw new Error(`attackers: ${JSON.stringify(started)}`);
  return {
    stop: async () => {
      child.stdin.end();
      const { steps } = await nextLine();
      return steps as number[];
    },
  };
}
