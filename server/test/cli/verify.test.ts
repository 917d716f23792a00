/**
 * `npm run -s cli -- verify FILE.ndjson` on files exported by a real server: a real
 * lesson verifies (exit 0), a tampered one is pinpointed (exit 1), a bad file or a CSV
 * dataset that is not included cannot be verified (exit 2). A recording that trained on
 * an uploaded CSV file carries the file and verifies on its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RecordingHeader } from '@backprop/shared/recording';
import type { SessionEvent } from '@backprop/shared/session';
import { cli as runCli } from '../helpers/cli';
import { driveLesson, play, replayIdOf } from '../helpers/recordings';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, uploadCsv } from '../helpers/session';
import { ok } from '../helpers/sockets';

const run = promisify(execFile);
let server: TestServer;
let lesson: string;

beforeAll(async () => {
  server = await startServer();
  lesson = await exported(await driveLesson(server));
}, 60_000);
afterAll(async () => {
  await server.close();
});

async function exported(host: { code: string }): Promise<string> {
  const replayId = await replayIdOf(server, host as Parameters<typeof replayIdOf>[1]);
  return (await fetch(`${server.url}/api/recordings/${replayId}/export`)).text();
}

function tempFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bpl-verify-')), 'recording.ndjson');
  writeFileSync(path, text);
  return path;
}

const cli = (...argv: string[]) => runCli(argv);

function withLine(
  text: string,
  n: number,
  change: (value: Record<string, unknown>) => unknown,
): string {
  const lines = text.trimEnd().split('\n');
  lines[n - 1] = JSON.stringify(change(JSON.parse(lines[n - 1]!) as Record<string, unknown>));
  return `${lines.join('\n')}\n`;
}

describe('verify', () => {
  test('a real recording verifies through the real command line (exit 0)', async () => {
    const { stdout } = await run('npx', [
      'tsx',
      'server/src/cli/bin.ts',
      'verify',
      tempFile(lesson),
    ]);
    expect(JSON.parse(stdout)).toEqual({ ok: true, checked: expect.any(Number) });
  });

  test('a changed bias in one epoch is found (exit 1), naming the value', () => {
    const lines = lesson.trimEnd().split('\n');
    const k = lines.findIndex((line) => line.includes('"type":"progressed"'));
    const event = JSON.parse(lines[k]!) as SessionEvent;
    const text = withLine(lesson, k + 1, (value) => {
      const progressed = value as Extract<SessionEvent, { type: 'progressed' }>;
      progressed.progress.network.biases[1]![0]! *= 1.0001;
      return progressed;
    });
    const { code, stdout } = cli('verify', tempFile(text));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      firstDivergence: { seq: event.seq, what: 'progress.network.biases[1][0]' },
    });
  });

  test('a bad file: exit 2 with the line and the reason', () => {
    const text = withLine(lesson, 5, (value) => ({ ...value, seq: 99 }));
    const { code, stderr, stdout } = cli('verify', tempFile(text));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^error: .*recording\.ndjson: line 5: event seq 99 follows 3 \(missing 4–98\)\n$/,
    );
  });

  test('usage: --help (exit 0), no file or a missing one (exit 2)', () => {
    expect(cli('verify', '--help')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Exit codes'),
    });
    expect(cli('verify')).toMatchObject({
      code: 2,
      stderr: 'error: give one recording file (try --help)\n',
    });
    expect(cli('verify', '/nonexistent.ndjson')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no such file'),
    });
    expect(cli('--help').stdout).toContain('verify');
  });
});

describe('a session on an uploaded CSV file', () => {
  const CSV = [
    'size,rooms,price',
    ...Array.from(
      { length: 40 },
      (_, k) => `${40 + k * 3},${1 + (k % 5)},${90000 + k * 4100 + (k % 7) * 3000}`,
    ),
    '',
  ].join('\n');
  let text: string;

  beforeAll(async () => {
    const host = await createSession(server, 'CSV lesson');
    expect(await uploadCsv(server, host, CSV, ['price'])).toBe(200);
    await ok(host.socket, 'host:setup', {
      datasetId: 'csv',
      hidden: [5],
      activations: ['tanh', 'linear'],
      trainBiases: true,
      seed: 11,
      normalize: true,
      testFraction: 0.25,
    });
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    await ok(host.socket, 'host:step', { granularity: 'epoch' });
    await play(server, host, 200);
    await ok(host.socket, 'host:end', {});
    text = await exported(host);
  }, 30_000);

  test('the export carries the CSV file, and verifies on its own', () => {
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as RecordingHeader;
    expect(header.csv).toEqual([{ seq: expect.any(Number), targets: ['price'], text: CSV }]);
    expect(cli('verify', tempFile(text))).toMatchObject({ code: 0 });
  });

  test('without the file it cannot be verified (exit 2)', () => {
    const stripped = withLine(text, 1, (header) => ({ ...header, csv: undefined }));
    const { code, stderr } = cli('verify', tempFile(stripped));
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot verify: dataset not included/);
  });
});
