import { CODE_ALPHABET, CODE_LENGTH } from '@backprop/shared/protocol';
import { isReplayIdLike } from './replay/ids';

/**
 * Hash routes. Everything after `#` stays in the browser: the server never sees (or logs)
 * it, which is why the host link for another device carries its token there and only there.
 */
export type Route =
  /** `setup`: a setup link's query (`#/?dataset=…`, lib/setup/setup-link.ts), unread. */
  | { page: 'home'; setup?: string }
  | { page: 'join'; code: string }
  | { page: 'host'; code: string }
  | { page: 'student'; code: string }
  | { page: 'projector'; code: string }
  | { page: 'recordings' }
  | { page: 'replay'; replayId: string }
  | { page: 'unknown' };

export interface ParsedHash {
  route: Route;
  /** A host token handed over in the fragment (`#/host/CODE?t=TOKEN`), to store and strip. */
  hostToken: string | null;
}

const PAGES = { host: 'host', join: 'join', s: 'student', projector: 'projector' } as const;

export function parseHash(hash: string): ParsedHash {
  const raw = hash.replace(/^#/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  const parts = path.split('/').filter((part) => part !== '');
  if (parts.length === 0) {
    return { route: query ? { page: 'home', setup: query } : { page: 'home' }, hostToken: null };
  }
  const [head = '', rawCode = '', ...rest] = parts;
  const other = parseOtherPage(parts);
  if (other) return { route: other, hostToken: null };
  const page = Object.hasOwn(PAGES, head) ? PAGES[head as keyof typeof PAGES] : null;
  const code = normalizeCode(safeDecode(rawCode));
  if (!page || rest.length > 0 || !isCode(code))
    return { route: { page: 'unknown' }, hostToken: null };
  const token = page === 'host' ? new URLSearchParams(query).get('t') : null;
  return { route: { page, code }, hostToken: token && isTokenLike(token) ? token : null };
}

export function hashOf(route: Route): string {
  switch (route.page) {
    case 'home':
    case 'unknown':
      return '#/';
    case 'student':
      return `#/s/${route.code}`;
    case 'recordings':
      return '#/recordings';
    case 'replay':
      return `#/replay/${encodeURIComponent(route.replayId)}`;
    default:
      return `#/${route.page}/${route.code}`;
  }
}

/** The link that opens the host console on another device, token in the fragment. */
export function hostHandoverLink(origin: string, code: string, token: string): string {
  return `${origin}/#/host/${code}?t=${encodeURIComponent(token)}`;
}

export function joinLink(origin: string, code: string): string {
  return `${origin}/#/join/${code}`;
}

/** What a person may type for a code: any case, spaces or dashes between groups. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

export function isCode(code: string): boolean {
  return code.length === CODE_LENGTH && [...code].every((ch) => CODE_ALPHABET.includes(ch));
}

/** The pages without a session code: the recordings list and a replay. */
function parseOtherPage(parts: string[]): Route | null {
  const [head, id, ...rest] = parts;
  if (head === 'recordings' && id === undefined) return { page: 'recordings' };
  if (head !== 'replay' || id === undefined || rest.length > 0) return null;
  const replayId = safeDecode(id);
  return isReplayIdLike(replayId) ? { page: 'replay', replayId } : { page: 'unknown' };
}

function isTokenLike(token: string): boolean {
  return /^[A-Za-z0-9_-]{16,128}$/.test(token);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
