/**
 * The wrapper every command handler goes through: validate the payload against its
 * schema, run the handler, answer through the acknowledgement. Nothing a client sends can
 * crash the process: a bad payload gets a 'bad-request' ack naming the field, a thrown
 * error an 'internal' ack and a log line (without the payload, which may hold tokens).
 * A store that cannot be reached (store-unavailable.ts: a create, a restore, a room whose
 * commit failed) is no bug of the server: 'unavailable', "the recordings store is
 * unavailable", and nothing was done.
 */
import type { Logger } from 'pino';
import {
  fail,
  parsePayload,
  type CommandName,
  type CommandReplies,
  type Payload,
  type Result,
} from '@backprop/shared/protocol';
import { isStoreUnavailable } from '../store/store-unavailable';
import { storeUnavailable } from './refusals';
import type { AppSocket } from './types';

export type CommandHandler<C extends CommandName> = (
  payload: Payload<C>,
) => Result<CommandReplies[C]> | Promise<Result<CommandReplies[C]>>;

type Listener = (...args: unknown[]) => void;

export function onCommand<C extends CommandName>(
  socket: AppSocket,
  command: C,
  handler: CommandHandler<C>,
  logger: Logger,
): void {
  const listener: Listener = (...args) => {
    // The ack is the last argument when it is a function; a client may leave it out.
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (args.pop() as (result: unknown) => void) : null;
    const reply = (result: Result<CommandReplies[C]>) => {
      if (ack && socket.connected) ack(result);
    };
    run(command, args, handler)
      .then(reply, (err: unknown) => {
        if (isStoreUnavailable(err)) {
          logger.warn({ err, command, socket: socket.id }, 'command refused: store unavailable');
          reply(storeUnavailable());
          return;
        }
        logger.error({ err, command, socket: socket.id }, 'command failed');
        reply(fail('internal', 'Something went wrong on the server.'));
      })
      // Even a failing ack must not become an unhandled rejection (which ends the process).
      .catch((err: unknown) => logger.error({ err, command }, 'acknowledging failed'));
  };
  // The typed `on` wants each event's exact signature; this listener takes anything on purpose.
  (socket.on as (event: string, listener: Listener) => void)(command, listener);
}

async function run<C extends CommandName>(
  command: C,
  args: unknown[],
  handler: CommandHandler<C>,
): Promise<Result<CommandReplies[C]>> {
  if (args.length !== 1) {
    return fail(
      'bad-request',
      `${command}: expected one payload object, got ${args.length} arguments`,
    );
  }
  const parsed = parsePayload(command, args[0]);
  if (!parsed.ok) return fail('bad-request', parsed.message);
  return handler(parsed.value);
}
