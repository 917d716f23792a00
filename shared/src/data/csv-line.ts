/**
 * Splits one CSV line into its fields: comma separated, a field may be wrapped in double
 * quotes with "" standing for one quote. Quoted fields must end on their own line:
 * cells are numbers and names, so a line break inside quotes is almost certainly a
 * missing closing quote, and saying so on that line beats swallowing the rest of the file.
 *
 * Returns the fields untrimmed, or a reason string when the line is malformed.
 */
export function splitCsvLine(line: string): string[] | { reason: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      const quoted = readQuoted(line, i + 1);
      if ('reason' in quoted) return quoted;
      fields.push(quoted.value);
      i = quoted.end;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') {
        return { reason: `unexpected text after the closing quote of field ${fields.length}` };
      }
    } else {
      const comma = line.indexOf(',', start);
      const end = comma === -1 ? line.length : comma;
      const value = line.slice(start, end);
      if (value.includes('"')) {
        return {
          reason:
            `field ${fields.length + 1} has a quote inside it; ` +
            'quote the whole field and write a quote inside it as ""',
        };
      }
      fields.push(value);
      i = end;
    }
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** Reads a quoted field whose opening quote is just before `from`. */
function readQuoted(
  line: string,
  from: number,
): { value: string; end: number } | { reason: string } {
  let value = '';
  let i = from;
  for (;;) {
    const quote = line.indexOf('"', i);
    if (quote === -1) {
      return { reason: 'a quoted field is not closed (a quoted field must end on its own line)' };
    }
    value += line.slice(i, quote);
    if (line[quote + 1] === '"') {
      value += '"';
      i = quote + 2;
    } else {
      return { value, end: quote + 1 };
    }
  }
}
