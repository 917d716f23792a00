/**
 * GET /api/sessions/:code/join-addresses (shared/src/protocol/http.ts): the host's console
 * learns where students can reach this server, to build join links that phones can open.
 */
import express from 'express';
import type { JoinAddressesReply } from '@backprop/shared/protocol';
import type { JoinAddresses } from '../network/join-addresses';
import { sendAnswer, type AskRoom, type HttpAnswer } from './host-request';
import { askedBy } from './http-replies';

export function joinAddressesRouter(ask: AskRoom, trustProxy: boolean): express.Router {
  const router = express.Router();
  // Host only: the list names every network this machine is on.
  router.get('/sessions/:code/join-addresses', async (req, res) => {
    const answer = await ask({ kind: 'join-addresses', ...askedBy(req, trustProxy) });
    sendAnswer(res, answer);
  });
  return router;
}

/**
 * The room's side (host-answers.ts), once the host's token has been checked: in a cluster,
 * the addresses of the room's node, so every node gives the same answer.
 */
export function joinAddressesAnswer(addresses: () => JoinAddresses): HttpAnswer {
  // Read now, not at start: the laptop may have joined the classroom network since.
  const { publicUrl, network } = addresses();
  const reply: JoinAddressesReply = { publicUrl, network };
  return { status: 200, headers: { 'Cache-Control': 'no-store' }, json: reply };
}
