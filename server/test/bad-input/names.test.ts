/**
 * Display names that try something: markup, invisible and bidi characters, lookalikes of
 * the instructor. Each is either refused (an error ack, nothing changed) or accepted as
 * the literal, cleaned text: the server never interprets a name, and the client renders
 * names as text (no {@html}), so markup is never executed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState, type Host } from '../helpers/session';
import { emitAck, ok } from '../helpers/sockets';

let server: TestServer;
let host: Host;
beforeAll(async () => {
  server = await startServer();
  host = await createSession(server);
  await joinSession(server, host.code, 'Ada');
});
afterAll(async () => {
  await server.close();
});

/** Joins with `name` on a fresh socket: the ack, and the state before and after. */
async function tryJoin(name: string) {
  const socket = await server.connect();
  const before = structuredClone(serverState(server, host.code));
  const reply = await emitAck(socket, 'session:join', { code: host.code, name });
  socket.disconnect();
  return { reply, before, after: serverState(server, host.code) };
}

/** Names as the class will see them when accepted; null when they must be refused. */
const MARKUP: [string, string | null][] = [
  ['<img src=x onerror=alert(1)>', null], // longer than 24 characters
  ['<svg onload=alert(1)>', '<svg onload=alert(1)>'],
  ['<b>bold</b>', '<b>bold</b>'],
  ['&lt;i&gt;', '&lt;i&gt;'],
  ['"><script>x</script>', '"><script>x</script>'],
  ['{{constructor}}', '{{constructor}}'],
  ['${alert(1)}', '${alert(1)}'],
];

const INVISIBLE: [string, string | null][] = [
  ['\u200B\u200C\u200D', null], // zero-width only: empty
  ['\u2060\uFEFF', null],
  ['\u3164', null], // Hangul filler: renders as nothing
  ['\u2800\u2800', null], // blank Braille
  ['Bo\u200Bb', 'Bob'],
  ['\u202Eevil', 'evil'], // right-to-left override
  ['\u2066Cy\u2069', 'Cy'], // isolates
  ['Dee\u0000\u0007', 'Dee'], // control characters
  ['  Eve \t\n ', 'Eve'],
  ['A\u200Bda', null], // "Ada" is taken
];

const LOOKALIKES_OF_INSTRUCTOR = [
  'Instructor',
  'instructor',
  'INSTRUCTOR',
  '\u0406nstructor', // Cyrillic І
  '\u0399nstructor', // Greek Ι
  'Ｉｎｓｔｒｕｃｔｏｒ', // fullwidth
  'Instruct0r',
  '1nstructor',
  'lnstructor',
  'Instru\u0441tor', // Cyrillic с
  'Instruct\u03BFr', // Greek ο
  'Ínstructor',
  'I n s t r u c t o r',
  'Instr\u00ADuctor', // soft hyphen
  'Instructor\u200B',
  '\u202EInstructor',
  'The Instructor',
  '\u{1D408}nstructor', // mathematical bold I
  'Teacher',
  'T\u0435acher', // Cyrillic е
  'Host',
  'H0st',
  'Admin',
];

describe('session:join names', () => {
  test.each([...MARKUP, ...INVISIBLE])('%j', async (raw, expected) => {
    const { reply, before, after } = await tryJoin(raw);
    if (expected === null) {
      expect(reply).toMatchObject({ ok: false });
      expect(after).toEqual(before);
      return;
    }
    expect(reply).toMatchObject({ ok: true });
    // Stored and shown as the literal, cleaned text: not escaped, not interpreted.
    expect(after.participants.at(-1)!.name).toBe(expected);
    expect(after.participants.at(-1)!.name).not.toMatch(
      /[\u200B-\u200F\u202A-\u202E\u2066-\u2069]/,
    );
  });

  test.each(LOOKALIKES_OF_INSTRUCTOR)('lookalike %j is refused as reserved', async (raw) => {
    const { reply, before, after } = await tryJoin(raw);
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('reserved') },
    });
    expect(after).toEqual(before);
  });
});

describe('titles', () => {
  test('markup in a title is kept as literal text; invisible characters are removed', async () => {
    await ok(host.socket, 'host:title', { title: '<img src=x onerror=alert(1)>\u202E' });
    expect(serverState(server, host.code).title).toBe('<img src=x onerror=alert(1)>');
    const blank = await emitAck(host.socket, 'host:title', { title: '\u200B\u2066\u2069' });
    expect(blank).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
