/**
 * The lines of an uploaded file as they arrive, so a 50 MB import is never one 50 MB
 * string: the same lines as recordingLines() of the whole text (a BOM, CRLF endings and
 * one final newline allowed; UTF-8, malformed bytes read as U+FFFD like any text body).
 */
import type { Readable } from 'node:stream';
import { refuseOversize } from '@backprop/shared/recording';

/** Throws RecordingError (line 0) once more than `maxBytes` have arrived. */
export async function* requestLines(body: Readable, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  let rest = '';
  let first = true;
  // Not destroyed when the caller stops early: the route still reads the rest and answers.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) refuseOversize(bytes, 'the file');
    rest += decoder.decode(chunk, { stream: true });
    if (first && rest.length > 0) {
      if (rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
      first = false;
    }
    let start = 0;
    for (let newline = rest.indexOf('\n'); newline !== -1; newline = rest.indexOf('\n', start)) {
      yield withoutCr(rest.slice(start, newline));
      start = newline + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (first && rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
  if (rest !== '') yield withoutCr(rest);
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
