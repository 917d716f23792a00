import { readFileSync } from 'node:fs';
import { parseNetworkFile } from '@backprop/shared/nn';
import { UsageError } from './errors';

export function readText(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    throw new UsageError(`--${flag}: cannot read ${path}: ${reason}`);
  }
}

export function readNetworkFile(path: string): ReturnType<typeof parseNetworkFile> {
  let json: unknown;
  try {
    json = JSON.parse(readText('network', path));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--network: ${path} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseNetworkFile(json);
  } catch (err) {
    throw new UsageError(`--network: ${path}: ${(err as Error).message}`);
  }
}
