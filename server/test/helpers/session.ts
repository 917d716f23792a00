/** Shortcuts for the usual cast: a host who created a session, students who joined it. */
import { csvUploadPath } from '@backprop/shared/protocol';
import { Mirror, ok } from './sockets';
import type { Client, TestServer } from './server';

export interface Host {
  socket: Client;
  mirror: Mirror;
  code: string;
  hostToken: string;
}

export interface Student {
  socket: Client;
  mirror: Mirror;
  participantId: string;
  token: string;
}

export async function createSession(server: TestServer, title?: string): Promise<Host> {
  const socket = await server.connect();
  const mirror = new Mirror(socket);
  const reply = await ok(socket, 'session:create', title === undefined ? {} : { title });
  mirror.sync(reply.sync);
  return { socket, mirror, code: reply.code, hostToken: reply.hostToken };
}

export async function joinSession(
  server: TestServer,
  code: string,
  name: string,
): Promise<Student> {
  const socket = await server.connect();
  const mirror = new Mirror(socket);
  const reply = await ok(socket, 'session:join', { code, name });
  mirror.sync(reply.sync);
  return { socket, mirror, participantId: reply.participantId, token: reply.token };
}

/** The server's authoritative state of a room. */
export function serverState(server: TestServer, code: string) {
  const room = server.app.sessions.get(code);
  if (!room) throw new Error(`no room ${code}`);
  return room.state;
}

/** The host uploads a CSV file (targets: its target columns); the HTTP status. */
export async function uploadCsv(
  server: TestServer,
  host: Pick<Host, 'code' | 'hostToken'>,
  text: string,
  targets: string[],
): Promise<number> {
  const res = await fetch(server.url + csvUploadPath(host.code, targets), {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${host.hostToken}` },
    body: text,
  });
  await res.body?.cancel();
  return res.status;
}
