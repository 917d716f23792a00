/**
 * The learning-rate race: the current network forked once per rate, each fork trained for
 * the same number of steps on the same batches (copies of the session's sample order), the
 * loss curves streamed to everyone. The session's own network does not change; the host
 * may then adopt one fork's rate or its final weights.
 */
import { networkToArrays } from '@backprop/shared/nn';
import { fail, type Payload, type Result } from '@backprop/shared/protocol';
import { racePointEvery } from '@backprop/shared/session';
import { TrainingFork } from '../../training/fork';
import { hostHyper } from '../host-commands';
import type { ParticipationContext } from './context';
import { nextId } from './ids';
import { RaceRunner } from './race-runner';

export function hostRace(
  room: ParticipationContext,
  { rates, steps }: Payload<'host:race'>,
): Result<{ raceId: string }> {
  const { participation, training, state } = room;
  if (participation.race?.running) {
    return fail('busy', 'A race is running: wait for its end or cancel it.');
  }
  if (training.stagedStepOpen) {
    return fail('busy', 'Finish the staged step first: a race starts between whole steps.');
  }
  const { batchSize } = state.hyper;
  // One copy per fork of the network and of the sample order: the same batches for all.
  // A long race streams a curve (every n-th step), not 5000 numbers per fork to every phone.
  const pointEvery = racePointEvery(steps);
  const forks = rates.map(
    (rate) => new TrainingFork(training.forkPoint(), rate, batchSize, steps, pointEvery),
  );
  const raceId = nextId(room, 'r');
  room.record({ type: 'race-started', raceId, rates, steps, batchSize, fromStep: state.step });
  participation.race = new RaceRunner(room, participation.logger, raceId, forks);
  participation.race.start();
  return { ok: true, raceId };
}

export function hostRaceAdopt(
  room: ParticipationContext,
  { fork, what }: Payload<'host:race-adopt'>,
): Result {
  const race = room.state.participation.race;
  const runner = room.participation.race;
  if (race?.status !== 'finished' || runner?.raceId !== race.id) {
    return fail('closed', 'There is no finished race to adopt from.');
  }
  const chosen = runner.forks[fork];
  if (!chosen) return fail('bad-request', `This race has forks 0 to ${runner.forks.length - 1}.`);
  if (what === 'rate') return hostHyper(room, { learningRate: chosen.rate });
  room.training.setNetwork(networkToArrays(chosen.network));
  room.record({
    type: 'network-set',
    network: room.training.network(),
    fit: room.training.fit(),
    source: { kind: 'race', raceId: race.id, fork },
  });
  return { ok: true };
}

export function hostRaceCancel(room: ParticipationContext): Result {
  const race = room.state.participation.race;
  const runner = room.participation.race;
  if (race?.status !== 'running' || !runner?.running) return fail('closed', 'No race is running.');
  runner.stop();
  room.record({ type: 'race-ended', raceId: race.id, status: 'cancelled' });
  return { ok: true };
}
