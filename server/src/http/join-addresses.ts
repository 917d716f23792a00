/**
 * GET /api/sessions/:code/join-addresses (shared/src/protocol/http.ts): the host's console
 * learns where students can reach this server, to build join links that phones can open.
 */
import express from 'express';
import type { JoinAddressesReply } from '@backprop/shared/protocol';
import type { JoinAddresses } from '../network/join-addresses';
import type { SessionRegistry } from '../sessions/registry';
import { hostAccess, type HostAccess } from './host-access';

export function joinAddressesRouter(
  registry: SessionRegistry,
  addresses: () => JoinAddresses,
  access: HostAccess,
): express.Router {
  const router = express.Router();
  router.get('/sessions/:code/join-addresses', async (req, res) => {
    const code = String(req.params.code).toUpperCase();
    const room = registry.get(code);
    const isHost = room ? (token: string) => room.members.isHostToken(token) : null;
    // Host only: the list names every network this machine is on.
    if (!(await hostAccess(req, res, access, code, isHost))) return;
    // Read now, not at start: the laptop may have joined the classroom network since.
    const { publicUrl, network } = addresses();
    const reply: JoinAddressesReply = { publicUrl, network };
    res.set('Cache-Control', 'no-store').json(reply);
  });
  return router;
}
