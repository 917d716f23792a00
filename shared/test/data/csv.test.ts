import { describe, expect, test } from 'vitest';
import { CSV_LIMITS, CsvError, parseCsvDataset } from '../../src/data/csv';

const TARGET = { targets: ['price'] };

/** Parses `text`, expecting a CsvError; returns it for closer checks. */
function refuse(text: string, options: { targets: string[] } = TARGET): CsvError {
  try {
    parseCsvDataset(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(CsvError);
    return err as CsvError;
  }
  throw new Error(`expected a CsvError for ${JSON.stringify(text.slice(0, 60))}`);
}

describe('parseCsvDataset: good files', () => {
  test('splits inputs and targets, row-major, in header order', () => {
    const ds = parseCsvDataset('area,price,age\n100,200000,5\n50,90000,40\n', TARGET);
    expect(ds.id).toBe('csv');
    expect(ds.inputs.map((c) => c.name)).toEqual(['area', 'age']);
    expect(ds.targets.map((c) => c.name)).toEqual(['price']);
    expect(ds.rows).toBe(2);
    expect(Array.from(ds.x)).toEqual([100, 5, 50, 40]);
    expect(Array.from(ds.y)).toEqual([200000, 90000]);
    expect(ds.title).toBe('Uploaded CSV');
    expect(ds.description).toContain('2 rows');
  });

  test('several targets, kept in the order asked for', () => {
    const ds = parseCsvDataset('a,t1,b,t2\n1,2,3,4\n5,6,7,8', { targets: ['t2', 't1'] });
    expect(ds.inputs.map((c) => c.name)).toEqual(['a', 'b']);
    expect(ds.targets.map((c) => c.name)).toEqual(['t2', 't1']);
    expect(Array.from(ds.x)).toEqual([1, 3, 5, 7]);
    expect(Array.from(ds.y)).toEqual([4, 2, 8, 6]);
  });

  test('quoted fields with "" escapes, and quoted header names', () => {
    const ds = parseCsvDataset('"floor, area","the ""price"""\n"12.5", 3 \n', {
      targets: ['the "price"'],
    });
    expect(ds.inputs[0]?.name).toBe('floor, area');
    expect(Array.from(ds.x)).toEqual([12.5]);
    expect(Array.from(ds.y)).toEqual([3]);
  });

  test('CRLF line ends, a BOM, trailing blank lines and spaces around cells', () => {
    const ds = parseCsvDataset('\uFEFF x , price \r\n 1 ,2\r\n3,\t4\r\n\r\n  \r\n', TARGET);
    expect(ds.inputs[0]?.name).toBe('x');
    expect(ds.rows).toBe(2);
    expect(Array.from(ds.x)).toEqual([1, 3]);
    expect(Array.from(ds.y)).toEqual([2, 4]);
  });

  test('a BOM before a quoted header name', () => {
    // trim() alone would drop a BOM before a bare name, but not before a quote.
    const ds = parseCsvDataset('\uFEFF"x",price\n1,2\n', TARGET);
    expect(ds.inputs[0]?.name).toBe('x');
  });

  test('scientific notation, signs and bare decimal points', () => {
    const ds = parseCsvDataset('x,price\n1e3,-2.5E-2\n+.5,7.\n', TARGET);
    expect(Array.from(ds.x)).toEqual([1000, 0.5]);
    expect(Array.from(ds.y)).toEqual([-0.025, 7]);
  });

  test('the title is taken from the options, and target names are trimmed', () => {
    const ds = parseCsvDataset('x,price\n1,2', { targets: [' price '], title: 'My houses' });
    expect(ds.title).toBe('My houses');
    expect(ds.description).toContain('1 row ');
  });

  test('exactly at the row and column limits is accepted', () => {
    const header = Array.from({ length: CSV_LIMITS.maxColumns }, (_, c) => `c${c}`).join(',');
    const row = Array.from({ length: CSV_LIMITS.maxColumns }, () => '1').join(',');
    const wide = parseCsvDataset(`${header}\n${row}\n`, { targets: ['c0'] });
    expect(wide.inputs).toHaveLength(CSV_LIMITS.maxColumns - 1);
    const tall = parseCsvDataset('x,price\n' + '1,2\n'.repeat(CSV_LIMITS.maxRows), TARGET);
    expect(tall.rows).toBe(CSV_LIMITS.maxRows);
  });
});

describe('parseCsvDataset: refused files', () => {
  test('an empty file, or one of blank lines', () => {
    for (const text of ['', '\n\n', '\uFEFF', ' \r\n\t\n']) {
      const err = refuse(text);
      expect(err.line).toBe(0);
      expect(err.message).toBe('the file is empty');
    }
  });

  test('a header row without data', () => {
    const err = refuse('x,price\n\n');
    expect(err.line).toBe(0);
    expect(err.reason).toMatch(/no data rows/);
  });

  test('a blank first line', () => {
    const err = refuse('\nx,price\n1,2\n');
    expect(err.line).toBe(1);
    expect(err.reason).toMatch(/header/);
  });

  test('a first line of numbers (a file without a header)', () => {
    const err = refuse('1,2\n3,4\n');
    expect(err.line).toBe(1);
    expect(err.reason).toMatch(/header/);
  });

  test('a duplicate column name, named with both positions', () => {
    const err = refuse('x,price, x\n1,2,3\n');
    expect(err.message).toBe('line 1: the column name "x" appears twice (columns 1 and 3)');
  });

  test('an empty column name', () => {
    const err = refuse('x,,price\n1,2,3\n');
    expect(err.message).toBe('line 1: column 2 of the header has no name');
  });

  test('a non-numeric cell names the line, the column and the cell', () => {
    const err = refuse('x,price\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12a\n');
    expect(err.line).toBe(7);
    expect(err.reason).toBe('column "price" is not a number ("12a")');
    expect(err.message).toBe('line 7: column "price" is not a number ("12a")');
  });

  test('NaN, Infinity, hex, binary, thousands with spaces and other non-decimals', () => {
    for (const cell of [
      'NaN',
      'Infinity',
      '-Infinity',
      '0x1F',
      '0x1f',
      '0b11',
      '1 000',
      'e5',
      '1e',
      '--1',
      '.',
    ]) {
      const err = refuse(`x,price\n1,${cell}\n`);
      expect(err.line).toBe(2);
      expect(err.reason).toContain('is not a number');
    }
  });

  test('a number too large for a double', () => {
    const err = refuse('x,price\n1,1e999\n');
    expect(err.message).toBe('line 2: column "price" is too large a number ("1e999")');
  });

  test('an empty cell, blank or only spaces', () => {
    expect(refuse('x,price\n1,\n').message).toBe('line 2: column "price" is empty');
    expect(refuse('x,price\n  ,1\n').message).toBe('line 2: column "x" is empty');
    expect(refuse('x,price\n"",1\n').message).toBe('line 2: column "x" is empty');
  });

  test('ragged rows say what was expected and what came', () => {
    expect(refuse('x,price\n1,2\n3,4,5\n').message).toBe(
      'line 3: expected 2 cells like the header, got 3',
    );
    expect(refuse('x,price\n1\n').message).toBe('line 2: expected 2 cells like the header, got 1');
  });

  test('a blank line between rows', () => {
    const err = refuse('x,price\n1,2\n\n3,4\n');
    expect(err.line).toBe(3);
    expect(err.reason).toMatch(/blank line/);
  });

  test('an unknown target lists the columns', () => {
    const err = refuse('area,price\n1,2\n', { targets: ['prise'] });
    expect(err.line).toBe(0);
    expect(err.message).toBe('there is no column "prise"; the columns are "area", "price"');
  });

  test('no target, a target twice, or no input left', () => {
    expect(refuse('x,price\n1,2\n', { targets: [] }).message).toMatch(/at least one target/);
    expect(refuse('x,price\n1,2\n', { targets: ['price', 'price'] }).message).toMatch(/twice/);
    expect(refuse('x,price\n1,2\n', { targets: ['price', 'x'] }).message).toMatch(
      /at least one column must be an input/,
    );
  });

  test('too many rows', () => {
    const err = refuse('x,price\n' + '1,2\n'.repeat(CSV_LIMITS.maxRows + 1));
    expect(err.line).toBe(0);
    expect(err.message).toBe('the file has 10,001 data rows; at most 10,000 are allowed');
  });

  test('too many columns', () => {
    const n = CSV_LIMITS.maxColumns + 1;
    const header = Array.from({ length: n }, (_, c) => `c${c}`).join(',');
    const err = refuse(`${header}\n${'1,'.repeat(n - 1)}1\n`, { targets: ['c0'] });
    expect(err.message).toBe('line 1: the header has 33 columns; at most 32 are allowed');
  });

  test('too many bytes, counted as UTF-8', () => {
    const big = 'x,price\n' + '1,2\n'.repeat(CSV_LIMITS.maxBytes / 4);
    expect(big.length).toBeGreaterThan(CSV_LIMITS.maxBytes);
    const err = refuse(big);
    expect(err.line).toBe(0);
    expect(err.message).toMatch(/^the file is larger than 2 MB/);
    // Under the limit in UTF-16 units but over it in bytes: 'é' is two bytes.
    const accents = 'é'.repeat(CSV_LIMITS.maxBytes / 2 + 1);
    expect(accents.length).toBeLessThan(CSV_LIMITS.maxBytes);
    expect(refuse(accents).message).toMatch(/larger than 2 MB/);
  });

  test('malformed quotes', () => {
    expect(refuse('x,price\n"1,2\n').message).toMatch(/^line 2: a quoted field is not closed/);
    expect(refuse('x,price\n"1"2,3\n').message).toMatch(
      /^line 2: unexpected text after the closing quote/,
    );
    expect(refuse('x,pr"ice\n1,2\n').message).toMatch(/^line 1: field 2 has a quote inside it/);
  });

  test('a huge cell is cut short in the message', () => {
    const err = refuse(`x,price\n1,${'z'.repeat(1000)}\n`);
    expect(err.message.length).toBeLessThan(100);
  });

  test('CsvError is an Error with a name', () => {
    const err = refuse('');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('CsvError');
  });
});
