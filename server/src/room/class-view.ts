/**
 * host:class-view: what the host shows the class (a weight's or unit's inspector, the
 * projector's participation cards). Takes only what it needs of the room, not the Room.
 */
import { fail, type Payload, type Result } from '@backprop/shared/protocol';
import {
  focusFits,
  type ClassView,
  type SessionEventBody,
  type SessionState,
} from '@backprop/shared/session';

export interface ClassViewContext {
  readonly state: SessionState;
  record(body: SessionEventBody): unknown;
}

export function hostClassView(room: ClassViewContext, payload: Payload<'host:class-view'>): Result {
  if (payload.focus === undefined && payload.cards === undefined) {
    return fail('bad-request', 'host:class-view: give a focus, cards, or both.');
  }
  const { classView: current, setup } = room.state;
  const focus = payload.focus === undefined ? current.focus : payload.focus;
  if (focus && !focusFits(focus, setup.layers)) {
    return fail('bad-request', `The ${setup.layers.join('-')} network has no such ${focus.kind}.`);
  }
  const next: ClassView = { focus, cards: payload.cards ?? current.cards };
  if (JSON.stringify(next) !== JSON.stringify(current)) {
    room.record({ type: 'class-view-set', classView: next });
  }
  return { ok: true };
}
