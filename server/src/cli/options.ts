import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** "-0.5", "-.5", "-1e-3", "-0.5,0.99": a value a user typed, not a flag. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * node:util parseArgs, strict, except that an option's value may start with a minus sign
 * when it is a number (`--target -0.5,0.99`): parseArgs alone refuses that as ambiguous and
 * asks for `--target=-0.5,0.99`, which nobody types. Such pairs are joined into that form
 * first; `--opt=value` passes through as it is, and real mistakes still throw.
 */
export function parseOptions<T extends Options>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  const args: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    if (arg === '--') {
      args.push(...argv.slice(k));
      break;
    }
    const next = argv[k + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next && NEGATIVE_NUMBER.test(next)) {
      args.push(`${arg}=${next}`);
      k++;
    } else {
      args.push(arg);
    }
  }
  return parseArgs({ args, options, strict: true, allowPositionals });
}
