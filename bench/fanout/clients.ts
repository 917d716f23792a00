/**
 * A process of simulated students: `count` connections to one server (socket.io students
 * who join the room, or bare ws clients), on 127.0.0.1, websocket transport only. Each
 * records, for every frame, its receive time minus the server's stamp, and counts gaps
 * in seq. Usage (forked by main.ts): clients.ts sio|ws URL COUNT [CODE] [OFFSET]
 */
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../shared/src/protocol';
import type { SessionEvent } from '../../shared/src/session';
import { preciseNow, type FromChild, type ToChild } from './messages';

const [kind, url, countArg, code = '', offsetArg = '0'] = process.argv.slice(2);
const count = Number(countArg);
const offset = Number(offsetArg);
const send = (message: FromChild) => process.send!(message);

interface Receipt {
  t: number;
  latency: number;
}

class Student {
  lastSeq = 0;
  gaps = 0;
  dropped = false;
  readonly frames: Receipt[] = [];

  /** An event or frame with its seq and server stamp; frames are timed. */
  receive(seq: number, t: number, isFrame: boolean): void {
    const now = preciseNow();
    if (this.lastSeq > 0 && seq > this.lastSeq + 1) this.gaps += seq - this.lastSeq - 1;
    if (seq > this.lastSeq) this.lastSeq = seq;
    if (isFrame) this.frames.push({ t, latency: now - t });
  }
}

const students: Student[] = [];
let joinRetries = 0;

function sioStudent(k: number): Promise<Student> {
  const student = new Student();
  return new Promise((resolve, reject) => {
    const socket = io(url!, {
      auth: { protocol: PROTOCOL_VERSION },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: 60_000,
    });
    // Acknowledged at once, as the browser does (server/src/socket/outbox.ts).
    socket.on('session:events', (events: SessionEvent[], _skipped: unknown, ack?: () => void) => {
      ack?.();
      for (const event of events) {
        if (event.seq > student.lastSeq)
          student.receive(
            event.seq,
            event.t,
            event.type === 'progressed' || event.type === 'frame',
          );
      }
    });
    socket.on('disconnect', () => (student.dropped = true));
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      // As the browser joins (client/src/lib/connection.svelte.ts): a `busy` that asks for a
      // retry is sent again after the wait, with the same key, which the server answers
      // with the first attempt's student if it went through.
      const payload = {
        code,
        name: `Student ${offset + k}`,
        key: `bench-join-${offset + k}-${code}`,
      };
      const attempt = () =>
        socket.timeout(120_000).emit('session:join', payload, (err: unknown, reply: JoinReply) => {
          const wait = reply?.error?.code === 'busy' ? reply.error.retryAfterMs : undefined;
          if (!err && wait !== undefined && joinRetries < 1000) {
            joinRetries++;
            setTimeout(attempt, wait * (0.5 + Math.random()));
            return;
          }
          if (err || !reply.ok)
            return reject(new Error(`join failed: ${JSON.stringify(err ?? reply)}`));
          // The reply comes before any later event (the server guarantees it).
          student.lastSeq = Math.max(student.lastSeq, reply.sync?.state?.seq ?? 0);
          resolve(student);
        });
      attempt();
    });
  });
}

interface JoinReply {
  ok: boolean;
  error?: { code: string; retryAfterMs?: number };
  sync?: { kind: string; state?: { seq: number } };
}

function wsStudent(): Promise<Student> {
  const student = new Student();
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url!, { perMessageDeflate: false });
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { seq: number; t: number };
      student.receive(frame.seq, frame.t, true);
    });
    socket.on('close', () => (student.dropped = true));
    socket.once('error', reject);
    socket.once('open', () => resolve(student));
  });
}

// Joins go in waves: each one is broadcast to everyone already in the room.
const WAVE = 50;
for (let start = 0; start < count; start += WAVE) {
  const wave = Array.from({ length: Math.min(WAVE, count - start) }, (_, k) =>
    kind === 'sio' ? sioStudent(start + k) : wsStudent(),
  );
  students.push(...(await Promise.all(wave)));
}
send({ type: 'ready', connected: students.length, joinRetries });

process.on('message', (message: ToChild) => {
  if (message.type === 'window') {
    const inWindow = (r: Receipt) => r.t >= message.from && r.t < message.to;
    send({
      type: 'report',
      latencies: students.flatMap((s) => s.frames.filter(inWindow).map((r) => r.latency)),
      framesPerClient: students.map((s) => s.frames.filter(inWindow).length),
      gaps: students.reduce((sum, s) => sum + s.gaps, 0),
      dropped: students.filter((s) => s.dropped).length,
    });
  } else if (message.type === 'stop') {
    process.exit(0);
  }
});
