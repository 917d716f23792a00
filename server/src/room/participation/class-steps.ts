/**
 * Stepping together: students press "ready"; when the ready connected students make the
 * quorum, the server takes the step the host chose (through host:step's own code, so the
 * class sees exactly the events of a host step) and readiness starts over.
 *
 * The quorum is checked after every change that can complete it: a ready press, a change
 * of settings, and a student leaving (disconnect or kick). Leaving can complete it on
 * purpose: with 10 of 20 ready and 11 needed, two students who were not ready leave, and
 * 10 of 18 with 10 needed steps. Those who remain have all agreed; waiting for people
 * who are gone would block the class. A join never completes a quorum (it can only raise
 * what is needed), and a disconnected student's readiness is dropped (see the reducer).
 */
import { fail, type Payload, type Result } from '@backprop/shared/protocol';
import { classStepsStatus } from '@backprop/shared/session';
import { hostStep } from '../stepping';
import type { TrainingContext } from '../training-context';

export async function hostClassSteps(
  room: TrainingContext,
  { enabled, granularity, quorum }: Payload<'host:class-steps'>,
): Promise<Result> {
  const current = room.state.participation.classSteps;
  const changed =
    enabled !== current.enabled ||
    granularity !== current.granularity ||
    JSON.stringify(quorum) !== JSON.stringify(current.quorum);
  if (changed) room.record({ type: 'class-steps-set', enabled, granularity, quorum });
  // A lower quorum may be met by those already ready.
  await checkQuorum(room);
  return { ok: true };
}

export async function studentReady(
  room: TrainingContext,
  participantId: string,
  { ready }: Payload<'student:ready'>,
): Promise<Result> {
  const { classSteps } = room.state.participation;
  if (!classSteps.enabled) return fail('closed', 'Stepping together is off.');
  if (ready && room.state.playing) {
    return fail('busy', 'Training is playing: get ready once the instructor pauses it.');
  }
  if (ready !== classSteps.readyIds.includes(participantId)) {
    room.record({ type: 'class-ready', id: participantId, ready });
  }
  // The step a ready press triggers is the class's, not this student's: its outcome (even
  // a divergence) is in the events, and this press succeeded either way.
  await checkQuorum(room);
  return { ok: true };
}

/** The host steps for the class (whoever is ready), by the class granularity. */
export function hostForceStep(room: TrainingContext): Promise<Result> | Result {
  if (!room.state.participation.classSteps.enabled) {
    return fail('closed', 'Stepping together is off: use an ordinary step.');
  }
  if (room.state.playing) return fail('busy', 'Pause training before stepping.');
  return classStep(room, true);
}

/** Steps if the ready students make the quorum (and training is not playing). */
export async function checkQuorum(room: TrainingContext): Promise<Result> {
  const { state } = room;
  if (state.ended || state.playing || !classStepsStatus(state).reached) return { ok: true };
  await classStep(room, false);
  return { ok: true };
}

function classStep(room: TrainingContext, forced: boolean): Promise<Result> {
  const { ready, needed } = classStepsStatus(room.state);
  const { granularity } = room.state.participation.classSteps;
  room.record({ type: 'class-stepped', granularity, ready, needed, forced });
  return hostStep(room, granularity);
}
