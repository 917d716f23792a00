/**
 * What a control class feels while other rooms play: its host steps one sample again and
 * again (each step waits for the previous acknowledgement) while /healthz is asked beside
 * it; both are timed. Shared by bench:fair and server/test/limits/fair-cpu.solo.test.ts.
 */
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../shared/src/protocol';

export interface ControlFigures {
  step: Percentiles;
  health: Percentiles;
}

export interface Percentiles {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
  return { samples: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** A control class: a host on its own socket with a default session. */
export async function controlHost(url: string): Promise<Socket> {
  const socket = io(url, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const reply = (await socket.timeout(10_000).emitWithAck('session:create', {
    title: 'Control class',
  })) as { ok: boolean };
  if (!reply.ok) throw new Error('the control session was not created');
  return socket;
}

/**
 * Steps the control class and asks /healthz for `ms`, one pair every `gapMs`: the time
 * each step's acknowledgement and each /healthz answer took.
 */
export async function measureControl(
  url: string,
  host: Socket,
  ms: number,
  gapMs = 20,
): Promise<ControlFigures> {
  const step: number[] = [];
  const health: number[] = [];
  const timed = async (samples: number[], call: () => Promise<unknown>) => {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  };
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await Promise.all([
      timed(step, async () => {
        const reply = (await host
          .timeout(30_000)
          .emitWithAck('host:step', { granularity: 'sample' })) as {
          ok: boolean;
          error?: { message: string };
        };
        if (!reply.ok) throw new Error(`the control step was refused: ${reply.error?.message}`);
      }),
      timed(health, () => fetch(`${url}/healthz`).then((res) => res.json())),
    ]);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return { step: percentiles(step), health: percentiles(health) };
}
