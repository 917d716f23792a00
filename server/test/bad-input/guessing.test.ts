/**
 * Guessing is capped: failed joins and resumes are counted per address and per session
 * (security/join-guard.ts); successes are not, so a whole class behind one NAT gets in.
 * A kicked student's token never works again.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { CODE_ALPHABET, csvUploadPath } from '@backprop/shared/protocol';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState } from '../helpers/session';
import { emitAck, ok, once } from '../helpers/sockets';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

/** A code that is not `code` (and, with 887 million codes and one room, no room's). */
function wrongCode(code: string, k: number): string {
  const letters = Array.from(code);
  letters[k % 6] = CODE_ALPHABET[(CODE_ALPHABET.indexOf(letters[k % 6]!) + 1 + k) % 31]!;
  return letters.join('');
}

describe('guessing join codes', () => {
  test('past the failures allowed per address, even the right code is refused for a while', async () => {
    server = await startServer({
      limits: { joinFailuresPerIp: { points: 10, seconds: 600, blockSeconds: 300 } },
    });
    const host = await createSession(server);
    const guesser = await server.connect();
    for (let k = 0; k < 11; k++) {
      const reply = await emitAck(guesser, 'session:join', {
        code: wrongCode(host.code, k),
        name: 'G',
      });
      expect(reply, `guess ${k + 1}`).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
    const before = structuredClone(serverState(server, host.code));
    for (const code of [wrongCode(host.code, 99), host.code]) {
      const reply = await emitAck(guesser, 'session:join', { code, name: 'Guesser' });
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'rate-limited', message: expect.stringContaining('from this network') },
      });
    }
    // Blocked, a guesser cannot tell an existing code from another by resuming either.
    const resumes = await Promise.all(
      [host.code, wrongCode(host.code, 7)].map((code) =>
        emitAck(guesser, 'session:resume', { code, token: 'A'.repeat(32), lastSeq: 0 }),
      ),
    );
    for (const reply of resumes) {
      expect(reply).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    }
    expect(serverState(server, host.code)).toEqual(before);
  });

  test('successes never count: 60 students behind one address all get in', async () => {
    server = await startServer({
      limits: { joinFailuresPerIp: { points: 3, seconds: 600, blockSeconds: 300 } },
    });
    const host = await createSession(server);
    const students = await Promise.all(
      Array.from({ length: 60 }, (_, k) => joinSession(server, host.code, `Student ${k}`)),
    );
    expect(students).toHaveLength(60);
    expect(serverState(server, host.code).participants).toHaveLength(60);
  });

  test('a blocked address still lets students back in with their tokens', async () => {
    server = await startServer({
      limits: { joinFailuresPerIp: { points: 2, seconds: 600, blockSeconds: 300 } },
    });
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    const prankster = await server.connect();
    for (let k = 0; k < 4; k++) {
      await emitAck(prankster, 'session:join', { code: wrongCode(host.code, k), name: 'P' });
    }
    const blocked = await emitAck(prankster, 'session:join', { code: host.code, name: 'P' });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    // A Wi-Fi blip: the student's phone reconnects and resumes.
    student.socket.disconnect();
    const phone = await server.connect();
    const resumed = await ok(phone, 'session:resume', {
      code: host.code,
      token: student.token,
      lastSeq: 0,
    });
    expect(resumed).toMatchObject({ role: 'student', participantId: student.participantId });
    const hostAgain = await server.connect();
    await ok(hostAgain, 'session:resume', { code: host.code, token: host.hostToken, lastSeq: 0 });
  });

  test('failures against one session are capped for everyone (names, tokens)', async () => {
    server = await startServer({
      limits: { joinFailuresPerCode: { points: 5, seconds: 600, blockSeconds: 300 } },
    });
    const host = await createSession(server);
    const other = await createSession(server);
    await joinSession(server, host.code, 'Ada');
    const spammer = await server.connect();
    for (let k = 0; k < 6; k++) {
      const reply = await emitAck(spammer, 'session:join', { code: host.code, name: 'Ada' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'name-taken' } });
    }
    const late = await server.connect();
    const refused = await emitAck(late, 'session:join', { code: host.code, name: 'Bea' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'rate-limited', message: expect.stringContaining('this session') },
    });
    // Other sessions are not affected.
    await ok(late, 'session:join', { code: other.code, name: 'Bea' });
  });
});

describe('guessing join codes over HTTP (issue 12 §4)', () => {
  test('every route that takes a code answers an unknown code and a wrong token alike', async () => {
    server = await startServer();
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    const answers = async (code: string, token: string | null) => {
      const headers = token ? { authorization: `Bearer ${token}` } : undefined;
      const replies = [
        await fetch(`${server.url}/api/sessions/${code}/replay`, { headers }),
        await fetch(`${server.url}/api/sessions/${code}/quiz-results.csv`, { headers }),
        await fetch(`${server.url}${csvUploadPath(code, ['y'])}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'text/csv' },
          body: 'x,y\n1,2\n',
        }),
      ];
      return Promise.all(replies.map(async (r) => `${r.status} ${await r.text()}`));
    };
    const unknown = await answers(wrongCode(host.code, 1), null);
    expect(unknown[0]).toMatch(/^404 \{"error":\{"code":"not-found"/);
    for (const [code, token] of [
      [host.code, null],
      [host.code, student.token],
      [host.code, 'x'.repeat(32)],
      [wrongCode(host.code, 2), host.hostToken],
    ] as const) {
      expect(await answers(code, token), `${code} ${token}`).toEqual(unknown);
    }
  });

  test('guesses count as failed joins: past the limit HTTP answers 429, and joining is blocked too', async () => {
    server = await startServer({
      limits: { joinFailuresPerIp: { points: 10, seconds: 600, blockSeconds: 300 } },
    });
    const host = await createSession(server);
    const guess = (code: string) => fetch(`${server.url}/api/sessions/${code}/replay`);
    for (let k = 0; k < 11; k++) {
      expect((await guess(wrongCode(host.code, k))).status, `guess ${k + 1}`).toBe(404);
    }
    for (const code of [wrongCode(host.code, 50), host.code]) {
      const blocked = await guess(code);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await blocked.json()).toMatchObject({
        error: {
          code: 'rate-limited',
          message: expect.stringMatching(/from this network.*Try again in \d+ s/),
        },
      });
    }
    const quiz = await fetch(`${server.url}/api/sessions/${host.code}/quiz-results.csv`);
    expect(quiz.status).toBe(429);
    const socket = await server.connect();
    expect(await emitAck(socket, 'session:join', { code: host.code, name: 'Late' })).toMatchObject({
      ok: false,
      error: { code: 'rate-limited' },
    });
    // The host's own token still works from the blocked address (as a resume would).
    const own = await fetch(`${server.url}/api/sessions/${host.code}/replay`, {
      headers: { authorization: `Bearer ${host.hostToken}` },
    });
    expect(own.status).toBe(200);
  });

  test('failed joins block HTTP guesses as well', async () => {
    server = await startServer({
      limits: { joinFailuresPerIp: { points: 3, seconds: 600, blockSeconds: 300 } },
    });
    const host = await createSession(server);
    const socket = await server.connect();
    for (let k = 0; k < 4; k++) {
      await emitAck(socket, 'session:join', { code: wrongCode(host.code, k), name: 'G' });
    }
    const guess = await fetch(`${server.url}/api/sessions/${wrongCode(host.code, 9)}/replay`);
    expect(guess.status).toBe(429);
  });
});

describe('kicked students', () => {
  test('a kicked token is refused on every later try; the name is free again', async () => {
    server = await startServer();
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    const gone = once(student.socket, 'disconnect');
    await ok(host.socket, 'host:kick', { participantId: student.participantId });
    await gone;
    for (let k = 0; k < 3; k++) {
      const socket = await server.connect();
      for (const lastSeq of [0, serverState(server, host.code).seq]) {
        const reply = await emitAck(socket, 'session:resume', {
          code: host.code,
          token: student.token,
          lastSeq,
        });
        expect(reply).toMatchObject({ ok: false, error: { code: 'kicked' } });
      }
      socket.disconnect();
    }
    expect(serverState(server, host.code).participants).toEqual([]);
    // Kicking is not banning: someone may join again under a name, unless the host locks.
    await ok(host.socket, 'host:lock', { locked: true });
    const back = await server.connect();
    const reply = await emitAck(back, 'session:join', { code: host.code, name: 'Ada' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'locked' } });
  });
});
