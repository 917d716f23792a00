/**
 * Helpers for the participation tests: a clock the test moves forward (proposal intervals,
 * quiz time limits), a class of students joined at once, idempotency keys, and a way to
 * drop a student's connection and come back with their token, as a phone does.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/clock';
import type { Client, TestServer } from './server';
import { joinSession, serverState, type Student } from './session';
import { Mirror, ok, once, waitUntil } from './sockets';

/** The system clock, plus whatever the test has skipped ahead. */
export class TestClock implements Clock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
  }
}

/** A fresh idempotency key (16 base64url characters). */
export function newKey(): string {
  return randomBytes(12).toString('base64url');
}

/** `count` students named `${prefix} 1`, `${prefix} 2`, …, joined in parallel batches. */
export async function joinClass(
  server: TestServer,
  code: string,
  count: number,
  prefix = 'Student',
): Promise<Student[]> {
  const students: Student[] = [];
  const batch = 25;
  for (let first = 1; first <= count; first += batch) {
    const names = Array.from(
      { length: Math.min(batch, count - first + 1) },
      (_, k) => `${prefix} ${first + k}`,
    );
    students.push(...(await Promise.all(names.map((name) => joinSession(server, code, name)))));
  }
  return students;
}

/** Closes the student's socket and waits until the server has recorded them as gone. */
export async function dropConnection(
  server: TestServer,
  code: string,
  student: Student,
): Promise<void> {
  const closed = once(student.socket, 'disconnect');
  student.socket.disconnect();
  await closed;
  await waitUntil(
    () =>
      serverState(server, code).participants.find((p) => p.id === student.participantId)
        ?.connected === false,
  );
}

/** A new socket resuming as the same student (their token), with its own mirror. */
export async function reconnect(
  server: TestServer,
  code: string,
  student: Student,
): Promise<Student & { socket: Client }> {
  const socket = await server.connect();
  const mirror = new Mirror(socket);
  const reply = await ok(socket, 'session:resume', { code, token: student.token, lastSeq: 0 });
  mirror.sync(reply.sync);
  return { ...student, socket, mirror };
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
