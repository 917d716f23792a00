/**
 * A class of simulated students (real socket.io clients over loopback) proposing and
 * voting all at once, while the host keeps sending commands (one every 50 ms) and timing their acks. Used by
 * the storm test (which checks the counts) and by bench/participation.ts (which reports).
 */
import type { Student } from './session';
import { createSession, serverState } from './session';
import type { TestServer } from './server';
import { joinClass, newKey, percentile, type TestClock } from './participation';
import { ok, waitUntil } from './sockets';
import type { Client } from './server';
import type { CommandName, CommandReplies, Result } from '@backprop/shared/protocol';

export interface StormReport {
  students: number;
  /** Wall time of the storm, from the first student command to the last ack. */
  stormMs: number;
  /** Ack latency of each host command sent during the storm (ms). */
  hostAcks: number[];
  p50: number;
  p99: number;
  max: number;
  /** The vote as closed, and what the students' last choices say it must be. */
  tallies: number[];
  expectedTallies: number[];
  /** Supporters in the pool, and proposals acknowledged. */
  supporters: number;
  expectedSupporters: number;
  /** Ack latency of the students' commands (ms): they queue behind each other. */
  studentAcks: number[];
  /** Acks that were not ok (none expected). */
  refused: string[];
  /** Every student's mirror equals the server's state, with no gap and no duplicate. */
  mirrorsAgree: boolean;
}

/** The host sends a command every this many ms (an eager instructor: ~20 a second). */
const HOST_PACE_MS = 50;
const STUDENT_TIMEOUT_MS = 30_000;
const RATES = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2];

export async function runStorm(
  server: TestServer,
  clock: TestClock,
  count: number,
): Promise<StormReport> {
  const host = await createSession(server);
  const students = await joinClass(server, host.code, count);
  await ok(host.socket, 'host:proposals', { open: true });
  // Four proposals on the ballot, then a hidden-tally vote among them.
  const options: string[] = [];
  for (const [k, rate] of [0.003, 0.03, 0.3, 3].entries()) {
    options.push(
      (await ok(students[k]!.socket, 'student:propose', { rate, key: newKey() })).proposalId,
    );
  }
  const { voteId } = await ok(host.socket, 'host:vote-open', {
    proposalIds: options,
    hideTallies: true,
  });
  clock.advance(5_000); // the four proposers may propose again

  const refused: string[] = [];
  const check = (what: string, reply: { ok: boolean }) => {
    if (!reply.ok) refused.push(`${what}: ${JSON.stringify(reply)}`);
  };
  const finalChoice = new Map<string, number>();
  const studentAcks: number[] = [];
  /** A student command, timed, with a long timeout: 200 at once queue up for seconds. */
  const send = async <C extends CommandName>(socket: Client, command: C, payload: unknown) => {
    const sent = performance.now();
    const emit = socket.timeout(STUDENT_TIMEOUT_MS).emitWithAck as unknown as (
      event: string,
      payload: unknown,
    ) => Promise<Result<CommandReplies[C]>>;
    const reply = await emit.call(socket.timeout(STUDENT_TIMEOUT_MS), command, payload);
    studentAcks.push(performance.now() - sent);
    return reply;
  };
  const student = async (s: Student, k: number) => {
    const proposal = send(s.socket, 'student:propose', {
      rate: RATES[k % RATES.length],
      key: newKey(),
    });
    const first = k % options.length;
    const ballot = { voteId, proposalId: options[first], key: newKey() };
    // The ballot, and the same ballot resent (a flaky phone): it must count once.
    const votes = [ballot, ballot].map((b) => send(s.socket, 'student:vote', b));
    const replies = await Promise.all([proposal, ...votes]);
    replies.forEach((reply, n) => check(n === 0 ? 'propose' : 'vote', reply));
    let last = first;
    if (k % 4 === 0) {
      // A quarter change their minds.
      last = (first + 1) % options.length;
      check(
        'change',
        await send(s.socket, 'student:vote', {
          voteId,
          proposalId: options[last],
          key: newKey(),
        }),
      );
    }
    finalChoice.set(s.participantId, last);
  };

  const hostAcks: number[] = [];
  let storming = true;
  const hostLoop = (async () => {
    for (let n = 0; storming; n++) {
      const sent = performance.now();
      await ok(host.socket, 'host:title', { title: `Storm ${n}` });
      hostAcks.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, HOST_PACE_MS));
    }
  })();
  const started = performance.now();
  await Promise.all(students.map((s, k) => student(s, k)));
  const stormMs = performance.now() - started;
  storming = false;
  await hostLoop;

  const closed = await ok(host.socket, 'host:vote-close', {});
  void closed;
  const state = serverState(server, host.code);
  const expectedTallies = options.map(() => 0);
  for (const choice of finalChoice.values()) expectedTallies[choice]!++;
  await waitUntil(() => students.every((s) => s.mirror.seq === state.seq), 15_000);
  const mirrorsAgree = students.every(
    (s) => s.mirror.gaps === 0 && s.mirror.duplicates === 0 && sameJson(s.mirror.state, state),
  );
  return {
    students: count,
    stormMs,
    hostAcks,
    studentAcks,
    p50: percentile(hostAcks, 50),
    p99: percentile(hostAcks, 99),
    max: Math.max(...hostAcks),
    tallies: state.participation.vote!.tallies!,
    expectedTallies,
    supporters: state.participation.proposals.items.reduce((sum, p) => sum + p.supporters, 0),
    expectedSupporters: count + options.length,
    refused,
    mirrorsAgree,
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
