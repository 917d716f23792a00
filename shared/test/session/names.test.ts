import { describe, expect, test } from 'vitest';
import {
  displayNameKey,
  nameSkeleton,
  normalizeDisplayName,
  NAME_MAX_LENGTH,
} from '../../src/session/names';

function accepted(raw: string): string {
  const result = normalizeDisplayName(raw);
  if (!result.ok) throw new Error(`expected "${raw}" to be accepted: ${result.reason}`);
  return result.name;
}

describe('normalizeDisplayName cleans up', () => {
  test.each([
    ['  Ada  ', 'Ada'],
    ['Ada    Lovelace', 'Ada Lovelace'],
    ['Ada\tLove\nlace', 'Ada Love lace'],
    ['Ada\u00a0\u2003Lovelace', 'Ada Lovelace'],
    // NFKC: full-width letters and ligatures become plain ones
    ['Ａｄａ', 'Ada'],
    ['ﬁona', 'fiona'],
    // Cc and Cf characters vanish: NUL, zero-width space/joiner, BOM, soft hyphen
    ['A\u0000d\u200Ba\u200D\uFEFF\u00AD', 'Ada'],
    // bidi embeddings, overrides and isolates
    ['\u202EAda\u202C', 'Ada'],
    ['\u2066Ada\u2069\u202A\u202B\u202D\u2067\u2068', 'Ada'],
    // invisible "letters"
    ['Ada\u3164\u115F\u2800', 'Ada'],
    ['Zoë', 'Zoë'],
    ['李小龙', '李小龙'],
    ['🦊 Fox', '🦊 Fox'],
    // A zero-width joiner inside an emoji sequence is kept: 👩🏽‍💻 stays one picture.
    ['👩🏽\u200D💻 Sam', '👩🏽\u200D💻 Sam'],
    ['🏳\uFE0F\u200D🌈', '🏳\uFE0F\u200D🌈'],
    ['👨\u200D👩\u200D👧', '👨\u200D👩\u200D👧'],
    // …but not beside letters, nor at an emoji's edge, nor any other invisible character.
    ['A\u200Dda', 'Ada'],
    ['🦊\u200DAda', '🦊Ada'],
    ['Ada\u200D🦊', 'Ada🦊'],
    ['🦊\u200D', '🦊'],
    ['🦊\u200B\u200D\u202E🦊', '🦊🦊'],
  ])('%j → %j', (raw, name) => {
    expect(accepted(raw)).toBe(name);
  });

  test('counts code points, up to the limit', () => {
    expect(accepted('x'.repeat(NAME_MAX_LENGTH))).toHaveLength(NAME_MAX_LENGTH);
    expect(accepted('🦊'.repeat(NAME_MAX_LENGTH))).toBe('🦊'.repeat(NAME_MAX_LENGTH));
    expect(normalizeDisplayName('x'.repeat(NAME_MAX_LENGTH + 1)).ok).toBe(false);
  });
});

describe('normalizeDisplayName refuses', () => {
  test.each(['', '   ', '\u200B\u200B', '\u202E', '\u3164', '\u0000\u0001', '\u200D\u200D'])(
    'an empty-looking name %j',
    (raw) => {
      const result = normalizeDisplayName(raw);
      expect(result).toEqual({ ok: false, reason: 'Please enter a name.' });
    },
  );

  test.each([
    'instructor',
    'Instructor',
    'INSTRUCTOR',
    'host',
    'Host',
    'H o s t',
    'h.o.s.t',
    'h0st',
    'H0ST',
    'teacher',
    'Teacher',
    'T3acher',
    'the teacher',
    'Admin',
    'adm1n',
    'admln',
    'adm|n',
    'adrnin',
    '@dmin',
    'Server',
    'SERVER',
    'System',
    '5y5tem',
    'moderator',
    'M0derat0r',
    // accents
    'Ínstrüctor',
    'hóst',
    // Cyrillic homoglyphs: а е о р с у х, Н Т М В К
    'Ноst',
    'аdmin',
    'tеаchеr',
    'sуstеm',
    'ТЕАСНЕR',
    'МODERATOR',
    'SЕRVЕR',
    // Greek homoglyphs: Α Ε Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ
    'ΗΟST',
    'ΑDΜΙΝ',
    'ΤΕΑCΗΕR',
    'hοst',
    // full-width and with invisible characters in between
    'ｈｏｓｔ',
    'ho\u200Bst',
    '\u202Ehost',
    // emoji and their joiners hide nothing either
    'ho👩\u200D💻st',
    'h\u200D👩\u200D💻\u200Dost',
  ])('the reserved name %j', (raw) => {
    const result = normalizeDisplayName(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/reserved/);
  });

  test.each([
    'Instructor Sam',
    'Sam Instructor',
    'Instructor!',
    'Teacher1',
    'host_2',
    'Sam (host)',
    'The Teacher 2',
    'teacher-assistant',
    'Mr. Teacher',
    'Admin Bob',
    '|nstructor Sam',
    'Sam h0st',
    'Ноst Anna', // Cyrillic Н and о
    'Anna\u200B host',
    '👩🏽\u200D💻 host',
  ])('a name with a reserved word of its own: %j', (raw) => {
    const result = normalizeDisplayName(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/reserved/);
  });

  test('but not names that merely contain a reserved word', () => {
    for (const name of [
      'Ghost',
      'Hostess',
      'Admiral',
      'Teach',
      'Sys',
      'Serve',
      'Tom',
      'Ghost Writer',
      'Anna Hostetler',
      'Sam the Admiral',
    ]) {
      expect(accepted(name)).toBe(name);
    }
  });
});

describe('displayNameKey', () => {
  test('folds case and lookalike letters but keeps digits', () => {
    expect(displayNameKey('Anna')).toBe(displayNameKey('aNNA'));
    expect(displayNameKey('Anna')).toBe(displayNameKey('Аnna')); // Cyrillic А
    expect(displayNameKey('Sam 1')).not.toBe(displayNameKey('Sam 2'));
    expect(displayNameKey('Bob')).not.toBe(displayNameKey('Bob1'));
  });
});

test('nameSkeleton reduces a name to the letters it looks like', () => {
  expect(nameSkeleton('H0$T!')).toBe('hosti');
  expect(nameSkeleton('adrnin')).toBe('admin');
});
