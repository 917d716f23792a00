/**
 * Who may open a socket (the origin allowlist, checked in socket.io's allowRequest) and
 * the HTTP security headers, with a CSP the built client satisfies.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { isAllowedOrigin } from '../../src/socket/origin-check';
import { configFromEnv } from '../../src/config';
import { connectWithOrigin, startServer, type TestServer } from '../helpers/server';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

describe('isAllowedOrigin', () => {
  test.each<[string | undefined, string, string[], boolean]>([
    [undefined, 'class.example:3000', [], true], // not a browser
    ['http://class.example:3000', 'class.example:3000', [], true],
    ['https://class.example:3000', 'class.example:3000', [], true], // TLS proxy in front
    ['http://CLASS.example:3000', 'class.example:3000', [], true],
    ['http://class.example', 'class.example:3000', [], false], // another port
    ['http://evil.example', 'class.example:3000', [], false],
    ['http://class.example:3000.evil.example', 'class.example:3000', [], false],
    ['null', 'class.example:3000', [], false], // sandboxed iframe, file://
    ['not a url', 'class.example:3000', [], false],
    ['http://evil.example', 'class.example:3000', ['http://evil.example'], true],
    ['http://localhost:5173', 'localhost:3000', ['http://localhost:5173'], true],
  ])('origin %j, host %j, allowed %j → %j', (origin, host, allowed, expected) => {
    expect(isAllowedOrigin(origin, host, allowed)).toBe(expected);
  });

  test('ALLOWED_ORIGINS is parsed and checked', () => {
    expect(
      configFromEnv({ ALLOWED_ORIGINS: ' https://a.example ,http://b.example:8080/ ' }),
    ).toMatchObject({ allowedOrigins: ['https://a.example', 'http://b.example:8080'] });
    expect(() => configFromEnv({ ALLOWED_ORIGINS: 'a.example' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => configFromEnv({ ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(
      /ALLOWED_ORIGINS/,
    );
  });
});

const connectFrom = (origin: string) => connectWithOrigin(server.url, origin);

test('sockets from other origins are refused; same origin and the allowlist get in', async () => {
  server = await startServer({ config: { allowedOrigins: ['https://slides.example'] } });
  const own = server.url;
  expect(await connectFrom(own)).toBe('connected');
  expect(await connectFrom('https://slides.example')).toBe('connected');
  expect(await connectFrom('https://evil.example')).not.toBe('connected');
  expect(await connectFrom('http://127.0.0.1:1')).not.toBe('connected');
});

describe('HTTP security headers', () => {
  function clientFolder(): string {
    const built = new URL('../../../client/dist', import.meta.url).pathname;
    if (existsSync(join(built, 'index.html'))) return built;
    const dir = mkdtempSync(join(tmpdir(), 'client-'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><script type="module" src="/assets/app.js"></script>',
    );
    return dir;
  }

  test('every response carries a CSP without inline scripts, and the usual headers', async () => {
    const clientDir = clientFolder();
    server = await startServer({ config: { clientDir } });
    for (const path of ['/', '/healthz', '/api/sessions/ABCDEF/dataset']) {
      const res = await fetch(server.url + path, {
        method: path.startsWith('/api') ? 'POST' : 'GET',
      });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("img-src 'self' data:");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }

    // The built page needs nothing the policy forbids: no inline script, no event
    // handler attributes, scripts and styles from this origin only.
    const html = readFileSync(join(clientDir, 'index.html'), 'utf8');
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) {
      expect(tag).toMatch(/\bsrc="\/[^/]/);
      expect(
        tag
          .replace(/<script\b[^>]*>/, '')
          .replace('</script>', '')
          .trim(),
      ).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
