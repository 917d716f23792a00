import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../shared/src/protocol/version';

/**
 * A class of students joined straight over socket.io, without a browser each: a screen
 * with thirty names costs thirty sockets, not thirty pages on a 2-core machine.
 */
export interface SocketClass {
  close(): void;
}

export async function joinClass(
  baseURL: string,
  code: string,
  names: readonly string[],
): Promise<SocketClass> {
  const sockets: Socket[] = [];
  for (const name of names) {
    const socket = io(baseURL, {
      transports: ['websocket'],
      auth: { protocol: PROTOCOL_VERSION },
    });
    sockets.push(socket);
    const reply = (await socket.timeout(10_000).emitWithAck('session:join', { code, name })) as {
      ok: boolean;
    };
    if (!reply.ok) throw new Error(`${name} could not join: ${JSON.stringify(reply)}`);
  }
  return { close: () => sockets.forEach((s) => s.close()) };
}
