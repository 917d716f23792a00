/**
 * Display names of students. Shared so the client can give instant feedback with exactly
 * the rule the server enforces. Two concerns: a name must be visible text (no control or
 * invisible characters, no bidi tricks that reorder what the class sees), and a student
 * must not pass for the instructor (or the app) with lookalike letters.
 */

export const NAME_MIN_LENGTH = 1;
export const NAME_MAX_LENGTH = 24;

/** Names nobody may take, compared by their lookalike skeleton (see nameSkeleton). */
export const RESERVED_NAMES = [
  'instructor',
  'host',
  'teacher',
  'admin',
  'server',
  'system',
  'moderator',
] as const;

export type NameResult = { ok: true; name: string } | { ok: false; reason: string };

/*
 * Removed outright: control characters (Cc), format characters (Cf: zero-width space and
 * joiners, soft hyphen, the bidi embeddings U+202A–202E and isolates U+2066–2069, …), and
 * letters that render as nothing (Hangul fillers, the blank Braille pattern), which are
 * classic ways to make a name look empty or like someone else's.
 *
 * One exception: a zero-width joiner between two emoji (after an optional skin tone or
 * emoji presentation selector) stays, because it is what makes 👩🏽‍💻 one picture instead of
 * two. There it joins pictures, never letters, so no name can hide or mimic one with it.
 */
const INVISIBLE =
  /(?!(?<=\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]?)\u200D(?=\p{Extended_Pictographic}))[\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/gu;
const SPACES = /[\s\p{Z}]+/gu;

/**
 * Cleans up a raw display name and decides whether it may be used. Length is counted in
 * code points after clean-up, so it is the same in every browser and on the server.
 */
export function normalizeDisplayName(raw: string): NameResult {
  const name = cleanDisplayText(raw);
  const length = Array.from(name).length;
  if (length < NAME_MIN_LENGTH) return { ok: false, reason: 'Please enter a name.' };
  if (length > NAME_MAX_LENGTH) {
    return { ok: false, reason: `A name can have at most ${NAME_MAX_LENGTH} characters.` };
  }
  if (isReservedName(name)) {
    return { ok: false, reason: `"${name}" is reserved: please choose another name.` };
  }
  return { ok: true, name };
}

/**
 * Text as everyone in the room will see it (names, session titles): NFKC, without
 * control or invisible characters, runs of whitespace as one space, trimmed.
 */
export function cleanDisplayText(raw: string): string {
  // Whitespace first (tabs and newlines are Cc but separate words), then the invisibles,
  // then whitespace again: removing an invisible character can bring two spaces together.
  return raw
    .normalize('NFKC')
    .replace(SPACES, ' ')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .trim();
}

/**
 * The key under which names must be unique in a room: case-insensitive, and Cyrillic or
 * Greek lookalikes count as the Latin letter ("Аnna" with a Cyrillic А is "anna").
 * Digits and punctuation are kept, so "Sam 1" and "Sam 2" are different people.
 */
export function displayNameKey(name: string): string {
  return mapChars(name.normalize('NFKC'), HOMOGLYPHS).toLowerCase();
}

/**
 * Whether a name reads as one of RESERVED_NAMES (optionally prefixed with "the"), or has
 * one as a word of its own: "Instructor Sam", "Sam (host)", "Teacher1" and "Instructor!"
 * would pass for the instructor. Words merely containing one ("Ghost", "Hostess") are
 * fine. Words are cut twice: once with digits and symbols as letters (LEETSPEAK, so
 * "|nstructor Sam" is caught) and once at anything but a letter ("Teacher1").
 */
export function isReservedName(name: string): boolean {
  const skeleton = nameSkeleton(name);
  if (RESERVED_SKELETONS.some((word) => skeleton === word || skeleton === `the${word}`)) {
    return true;
  }
  const text = name.normalize('NFKC');
  return WORD_BREAKS.some((wordBreak) =>
    text.split(wordBreak).some((word) => RESERVED_SKELETONS.includes(nameSkeleton(word))),
  );
}

/**
 * What a name looks like, reduced to the letters a–z: accents dropped, lookalike letters
 * and digits mapped to the Latin letter they imitate, everything else removed. "l", "1",
 * "|" and "i" all become "i" because each passes for the others; "rn" passes for "m".
 */
export function nameSkeleton(name: string): string {
  const letters = mapChars(name.normalize('NFKD').replace(/\p{M}/gu, ''), HOMOGLYPHS);
  return mapChars(letters.toLowerCase(), LEETSPEAK)
    .replace(/[^a-z]/g, '')
    .replaceAll('rn', 'm');
}

function mapChars(text: string, table: ReadonlyMap<string, string>): string {
  let out = '';
  for (const char of text) out += table.get(char) ?? char;
  return out;
}

/** Pairs as a string: each two characters are "lookalike, Latin letter". */
function pairs(list: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  const chars = Array.from(list);
  for (let k = 0; k + 1 < chars.length; k += 2) map.set(chars[k]!, chars[k + 1]!);
  return map;
}

/*
 * A small confusables table (after Unicode TR39, Latin-looking letters only), by case:
 * uppercase Greek Eta looks like H while lowercase eta looks like n, so the mapping runs
 * before lowercasing.
 */
const HOMOGLYPHS = pairs(
  // Cyrillic uppercase, then lowercase
  'АAВBЕEЅSІIЈJКKМMНHОOРPСCТTУYХXԁdаaвbеeѕsіiјjкkмmнhоoрpсcтtуyхxһhԛqԝwѵvгrпn' +
    // Greek uppercase, then lowercase
    'ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXαaβbεeηnιiκkνvοoρpτtυuχxμuϲcϳj',
);

/** Digits and symbols read as letters; l and | go to i with 1 (see nameSkeleton). */
const LEETSPEAK = pairs('0o1i3e4a5s7t8b9g@a$s!i|ili');

/** Word breaks for isReservedName: digits and LEETSPEAK's symbols as letters, or not. */
const WORD_BREAKS = [/[^\p{L}\p{M}\p{N}@$!|]+/u, /[^\p{L}\p{M}]+/u];

// Last: it needs the tables above.
const RESERVED_SKELETONS = RESERVED_NAMES.map(nameSkeleton);
