/**
 * A student for `bench:wire`: a socket.io client that joins the room and counts what it
 * receives at the engine.io level (every packet, pings included), as WebSocket bytes: the
 * payload plus the frame header (2 bytes up to 125, 4 up to 65,535, 10 beyond; no TCP/IP).
 * It acknowledges each message of frames at once, or after `ackDelayMs` (a phone too busy
 * to take more: the server's outbox then sends it fewer frames).
 */
import { io, type Socket } from 'socket.io-client';
import {
  fromWire,
  PROTOCOL_VERSION,
  type SkippedSeqs,
  type WireEvent,
} from '../../shared/src/protocol';

export function wsBytes(payload: number): number {
  return payload + (payload <= 125 ? 2 : payload <= 65_535 ? 4 : 10);
}

function packetBytes(packet: { data?: unknown }): number {
  const { data } = packet;
  if (typeof data === 'string') return wsBytes(1 + Buffer.byteLength(data));
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return wsBytes(data.byteLength);
  return wsBytes(1); // a ping or another packet without data
}

export class Student {
  down = 0;
  up = 0;
  frames = 0;
  skipped = 0;
  /** Steps between the server and each frame when it was taken. */
  readonly behind: number[] = [];
  private socket!: Socket;

  constructor(
    private readonly url: string,
    private readonly ackDelayMs = 0,
    private readonly serverStep: () => number = () => 0,
  ) {}

  async join(code: string, name: string): Promise<void> {
    const socket = io(this.url, {
      auth: { protocol: PROTOCOL_VERSION },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    this.socket = socket;
    socket.io.on('open', () => {
      socket.io.engine.on('packet', (packet) => (this.down += packetBytes(packet)));
      socket.io.engine.on('packetCreate', (packet) => (this.up += packetBytes(packet)));
    });
    socket.on('session:events', (events: WireEvent[], skipped: SkippedSeqs, ack?: () => void) => {
      for (const [from, to] of skipped) this.skipped += to - from + 1;
      for (const event of events.map(fromWire)) {
        if (event.type !== 'frame') continue;
        this.frames++;
        this.behind.push(this.serverStep() - event.step);
      }
      if (!ack) return;
      if (this.ackDelayMs === 0) ack();
      else setTimeout(ack, this.ackDelayMs);
    });
    await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    const reply = (await socket.timeout(30_000).emitWithAck('session:join', { code, name })) as {
      ok: boolean;
    };
    if (!reply.ok) throw new Error(`join failed: ${JSON.stringify(reply)}`);
  }

  /** Counters back to zero (the end of the warm-up). */
  reset(): void {
    this.down = this.up = this.frames = this.skipped = 0;
    this.behind.length = 0;
  }

  close(): void {
    this.socket.disconnect();
  }
}
