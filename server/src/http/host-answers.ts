/**
 * The room's side of the host's HTTP requests (host-request.ts), run on the node where the
 * room is: the host token checked against the live room (a wrong one counts as a failed
 * join from the client's address, security/join-guard.ts), then the route's own work.
 */
import type { Logger } from 'pino';
import type { RateLimit } from '../limits';
import type { JoinAddresses } from '../network/join-addresses';
import type { SessionRegistry } from '../sessions/registry';
import { csvUploads } from './csv-upload';
import { hostRefusal, type HostAccess } from './host-access';
import type { HostAnswer, HostRequest } from './host-request';
import { joinAddressesAnswer } from './join-addresses';
import { quizResultsAnswer } from './quiz-results';

export interface HostAnswersDeps {
  registry: SessionRegistry;
  logger: Logger;
  access: HostAccess;
  uploadLimit: RateLimit;
  /** Where students can reach this node (app.ts). */
  addresses: () => JoinAddresses;
}

export function hostAnswers(deps: HostAnswersDeps): (request: HostRequest) => Promise<HostAnswer> {
  const { registry, logger, access, addresses } = deps;
  const csv = csvUploads(deps.uploadLimit);
  return async (request) => {
    const { code, token, ip } = request;
    const room = registry.get(code);
    const isHost = room ? (given: string) => room.members.isHostToken(given) : null;
    const refusal = await hostRefusal(access, code, token, ip, isHost);
    if (refusal || !room) return refusal;
    switch (request.kind) {
      case 'csv-check':
        return csv.check(code);
      case 'csv-store':
        return csv.store(room, request.text, request.targets);
      case 'quiz-results':
        return quizResultsAnswer(room, logger);
      case 'join-addresses':
        return joinAddressesAnswer(addresses);
    }
  };
}
