/**
 * GET /api/sessions/:code/join-addresses (shared/src/protocol/http.ts): the host's console
 * learns where students can reach this server, to build join links that phones can open.
 */
import express from 'express';
import type { JoinAddressesReply } from '@backprop/shared/protocol';
import type { JoinAddresses } from '../network/join-addresses';
import type { SessionRegistry } from '../sessions/registry';
import { authorized, sendError } from './http-replies';

export function joinAddressesRouter(
  registry: SessionRegistry,
  addresses: () => JoinAddresses,
): express.Router {
  const router = express.Router();
  router.get('/sessions/:code/join-addresses', (req, res) => {
    const room = registry.get(String(req.params.code).toUpperCase());
    if (!room) return sendError(res, 404, 'not-found', 'There is no session with this code.');
    const isHost = (token: string) => room.members.isHostToken(token);
    if (!authorized(req, res, isHost, 'Only the instructor can see the join addresses.')) return;
    // Read now, not at start: the laptop may have joined the classroom network since.
    const { publicUrl, network } = addresses();
    const reply: JoinAddressesReply = { publicUrl, network };
    res.set('Cache-Control', 'no-store').json(reply);
  });
  return router;
}
