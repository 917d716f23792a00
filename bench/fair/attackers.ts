/**
 * The attack of issue 12 §3, in a process of its own (so that reading the frames it
 * receives is not charged to the server's event loop): rooms created from the given local
 * addresses, each set to the largest network the server allows and playing it at 1000
 * steps a second. Every host socket stays connected and receives its frames, as a real
 * browser tab would.
 *
 *   tsx bench/fair/attackers.ts <url> <rooms> <address,address,…>
 *
 * Prints one JSON line to stdout when every room plays ({"playing": n}), then, on
 * SIGTERM or stdin closing, the steps each room trained ({"steps": [...]}) and exits.
 */
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../shared/src/protocol';
import type { SessionEvent } from '../../shared/src/session';

/** The largest network the server accepts: 6 hidden layers of 64 (shared/src/nn limits). */
export const LARGEST_HIDDEN = [64, 64, 64, 64, 64, 64];

const [url, roomsArg, addressesArg] = process.argv.slice(2);
const rooms = Number(roomsArg);
const addresses = (addressesArg ?? '127.0.0.1').split(',');

function connect(localAddress: string): Promise<Socket> {
  const socket = io(url!, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    localAddress,
  } as Parameters<typeof io>[1]);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function command(socket: Socket, name: string, payload: unknown): Promise<unknown> {
  const reply = (await socket.timeout(30_000).emitWithAck(name, payload)) as {
    ok: boolean;
    error?: { message: string };
  };
  if (!reply.ok) throw new Error(`${name}: ${reply.error?.message}`);
  return reply;
}

const lastStep: number[] = [];
const firstStep: number[] = [];

async function attack(index: number): Promise<Socket> {
  const socket = await connect(addresses[index % addresses.length]!);
  await command(socket, 'session:create', { title: `Attack ${index}` });
  await command(socket, 'host:setup', {
    datasetId: 'houses',
    hidden: LARGEST_HIDDEN,
    activations: [...LARGEST_HIDDEN.map(() => 'tanh'), 'linear'],
    trainBiases: true,
    seed: index + 1,
    normalize: true,
    testFraction: 0.2,
  });
  await command(socket, 'host:hyper', { speed: 1000, batchSize: 4 });
  socket.on('session:events', (events: SessionEvent[]) => {
    for (const event of events) {
      if (event.type !== 'frame') continue;
      firstStep[index] ??= event.step;
      lastStep[index] = event.step;
    }
  });
  await command(socket, 'host:play', { playing: true });
  return socket;
}

const sockets = await Promise.all(Array.from({ length: rooms }, (_, k) => attack(k)));
process.stdout.write(`${JSON.stringify({ playing: sockets.length })}\n`);

let finished = false;
function finish(): void {
  if (finished) return;
  finished = true;
  const steps = sockets.map((_, k) => (lastStep[k] ?? 0) - (firstStep[k] ?? 0));
  process.stdout.write(`${JSON.stringify({ steps })}\n`);
  for (const socket of sockets) socket.disconnect();
  process.exit(0);
}
process.on('SIGTERM', finish);
process.stdin.on('end', finish);
process.stdin.resume();
