import { splitCsvLine } from './csv-line';
import type { Column, Dataset } from './dataset';

/**
 * Limits on an uploaded file. They keep a class's upload small enough that every
 * browser in the room can hold it and the server can train on it live.
 */
export const CSV_LIMITS = { maxRows: 10_000, maxColumns: 32, maxBytes: 2 * 1024 * 1024 } as const;

/** Why a CSV file was refused, and where. The message is ready to show to a person. */
export class CsvError extends Error {
  override name = 'CsvError';
  /** 1-based line of the file; 0 when the problem is the file as a whole (or the options). */
  readonly line: number;
  /** The message without the "line N: " prefix. */
  readonly reason: string;

  constructor(line: number, reason: string) {
    super(line > 0 ? `line ${line}: ${reason}` : reason);
    this.line = line;
    this.reason = reason;
  }
}

export interface CsvOptions {
  /** Names of the target columns, in the order the dataset should hold them. */
  targets: string[];
  title?: string;
}

/*
 * Rules (also in docs/datasets.md): a header row of unique, non-empty names, then rows
 * of numbers only. Blank lines at the end are ignored; a blank line anywhere else is an
 * error, because it usually means two files were pasted together or a row went missing.
 */
export function parseCsvDataset(text: string, options: CsvOptions): Dataset {
  checkSize(text);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  while (lines.length > 0 && isBlank(lines[lines.length - 1] ?? '')) lines.pop();
  if (lines.length === 0) throw new CsvError(0, 'the file is empty');

  const names = parseHeader(lines[0] ?? '');
  const rows = lines.length - 1;
  if (rows === 0) throw new CsvError(0, 'the file has a header row but no data rows below it');
  if (rows > CSV_LIMITS.maxRows) {
    throw new CsvError(
      0,
      `the file has ${count(rows)} data rows; at most ${count(CSV_LIMITS.maxRows)} are allowed`,
    );
  }
  const { inputIndices, targetIndices } = chooseColumns(names, options.targets);

  const x = new Float64Array(rows * inputIndices.length);
  const y = new Float64Array(rows * targetIndices.length);
  for (let r = 0; r < rows; r++) {
    const cells = parseRow(lines[r + 1] ?? '', r + 2, names);
    inputIndices.forEach((c, k) => (x[r * inputIndices.length + k] = cells[c] ?? NaN));
    targetIndices.forEach((c, k) => (y[r * targetIndices.length + k] = cells[c] ?? NaN));
  }

  const column = (c: number): Column => ({ name: names[c] ?? '', format: 'number' });
  const inputs = inputIndices.map(column);
  const targets = targetIndices.map(column);
  return {
    id: 'csv',
    title: options.title?.trim() || 'Uploaded CSV',
    description:
      `${count(rows)} ${rows === 1 ? 'row' : 'rows'} from an uploaded CSV file. ` +
      `Inputs: ${inputs.map((c) => c.name).join(', ')}. Targets: ${targets.map((c) => c.name).join(', ')}.`,
    inputs,
    targets,
    rows,
    x,
    y,
  };
}

function checkSize(text: string): void {
  // Each UTF-16 unit is at least one UTF-8 byte and at most three, so most texts are
  // decided by their length alone and only the in-between ones are counted.
  const max = CSV_LIMITS.maxBytes;
  if (text.length * 3 <= max) return;
  const bytes = text.length > max ? text.length : new TextEncoder().encode(text).length;
  if (bytes > max) {
    throw new CsvError(0, `the file is larger than ${megabytes(max)} (about ${megabytes(bytes)})`);
  }
}

function parseHeader(line: string): string[] {
  if (isBlank(line)) {
    throw new CsvError(1, 'the first line is blank; it must be the header row of column names');
  }
  const fields = splitCsvLine(line);
  if ('reason' in fields) throw new CsvError(1, fields.reason);
  if (fields.length > CSV_LIMITS.maxColumns) {
    throw new CsvError(
      1,
      `the header has ${fields.length} columns; at most ${CSV_LIMITS.maxColumns} are allowed`,
    );
  }
  const names = fields.map((f) => f.trim());
  const seen = new Map<string, number>();
  names.forEach((name, c) => {
    if (name === '') throw new CsvError(1, `column ${c + 1} of the header has no name`);
    const first = seen.get(name);
    if (first !== undefined) {
      throw new CsvError(
        1,
        `the column name ${quote(name)} appears twice (columns ${first + 1} and ${c + 1})`,
      );
    }
    seen.set(name, c);
  });
  // A file without a header would otherwise lose its first row silently as "names".
  if (names.every((name) => parseNumber(name) !== undefined)) {
    throw new CsvError(
      1,
      'the first line holds numbers; it must be the header row of column names',
    );
  }
  return names;
}

function chooseColumns(
  names: string[],
  targets: string[],
): { inputIndices: number[]; targetIndices: number[] } {
  const wanted = targets.map((t) => t.trim());
  if (wanted.length === 0) throw new CsvError(0, 'choose at least one target column');
  const targetIndices = wanted.map((t, k) => {
    const c = names.indexOf(t);
    if (c === -1) {
      throw new CsvError(
        0,
        `there is no column ${quote(t)}; the columns are ${names.map(quote).join(', ')}`,
      );
    }
    if (wanted.indexOf(t) !== k) throw new CsvError(0, `the target ${quote(t)} is chosen twice`);
    return c;
  });
  const inputIndices = names.map((_, c) => c).filter((c) => !targetIndices.includes(c));
  if (inputIndices.length === 0) {
    throw new CsvError(0, 'every column is a target; at least one column must be an input');
  }
  return { inputIndices, targetIndices };
}

function parseRow(line: string, lineNumber: number, names: string[]): number[] {
  if (isBlank(line)) {
    throw new CsvError(
      lineNumber,
      'blank line (only blank lines at the end of the file are allowed)',
    );
  }
  const fields = splitCsvLine(line);
  if ('reason' in fields) throw new CsvError(lineNumber, fields.reason);
  if (fields.length !== names.length) {
    throw new CsvError(
      lineNumber,
      `expected ${names.length} cells like the header, got ${fields.length}`,
    );
  }
  return fields.map((field, c) => {
    const cell = field.trim();
    const name = quote(names[c] ?? '');
    if (cell === '') throw new CsvError(lineNumber, `column ${name} is empty`);
    const value = parseNumber(cell);
    if (value === undefined) {
      throw new CsvError(lineNumber, `column ${name} is not a number (${quote(cell)})`);
    }
    if (!Number.isFinite(value)) {
      throw new CsvError(lineNumber, `column ${name} is too large a number (${quote(cell)})`);
    }
    return value;
  });
}

// Plain decimal or scientific notation only: Number() alone would also take '',
// 'Infinity', '0x1f' and '0b1', which are not data anyone means to train on.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The cell's value (possibly ±Infinity on overflow), or undefined if it is not a number. */
function parseNumber(cell: string): number | undefined {
  return NUMBER.test(cell) ? Number(cell) : undefined;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Quotes a name or cell for a message, cut short so one huge cell cannot flood the UI. */
function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}…` : s);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
