/**
 * The views' numbers against the reduced state at the same seq: during play (frames with
 * and without the fit), after a divergence, and before and after a step's update.
 */
import { describe, expect, it } from 'vitest';
import { formatNumber } from '@backprop/shared/data';
import { ACTIVATIONS } from '@backprop/shared/nn';
import {
  applyEvent,
  compactParams,
  type SessionEventBody,
  type SessionState,
} from '@backprop/shared/session';
import { divergedState, housesState, workedExampleState } from '../src/components/fixtures';
import { fitFreshness, meanAbsoluteError, sampleFreshness } from '../src/lib/view/freshness';
import { unitEquation } from '../src/lib/view/unit-equation';
import { divergenceText, latestLoss, trainingSummary } from '../src/ui/summary';

function apply(state: SessionState, body: SessionEventBody): SessionState {
  return applyEvent(state, { ...body, seq: state.seq + 1, t: 0 } as never);
}

function frame(state: SessionState, steps: number, fit?: number[]): SessionState {
  return apply(state, {
    type: 'frame',
    step: state.step + steps,
    epoch: state.epoch,
    params: compactParams(state.network),
    loss: 0.5,
    test: null,
    ...(fit ? { fit } : {}),
  });
}

describe('during play', () => {
  const paused = housesState();

  it('starts with a fit and a sample of the current step', () => {
    expect(fitFreshness(paused)).toEqual({
      fitStep: paused.step,
      weightsStep: paused.step,
      note: null,
    });
  });

  it('a frame without predictions leaves the fit older than the weights, and says so', () => {
    const playing = frame(apply(paused, { type: 'play-changed', playing: true }), 7);
    expect(playing.step).toBe(paused.step + 7);
    expect(fitFreshness(playing)).toMatchObject({
      fitStep: paused.step,
      note: `fit of step ${paused.step}, weights of step ${playing.step}`,
    });
    // The sample (of the last traced step) is named as such, never shown as current.
    const sample = sampleFreshness(playing)!;
    expect(sample.current).toBe(false);
    expect(sample.step).toBe(paused.sample!.step);
    expect(sample.note).toBe(`sample of step ${paused.sample!.step}`);
    expect(sample.prefix).toBe(`at step ${paused.sample!.step}: `);
  });

  it('a frame with predictions makes the fit current again, with those predictions', () => {
    const predicted = paused.fit!.predicted.map((p) => p + 1000);
    const withFit = frame(frame(paused, 7), 3, predicted);
    expect(withFit.fit!.predicted).toEqual(predicted);
    expect(fitFreshness(withFit)).toMatchObject({ fitStep: withFit.step, note: null });
    expect(meanAbsoluteError(withFit.fit!.actual, withFit.fit!.predicted)).toBeCloseTo(
      meanAbsoluteError(paused.fit!.actual, predicted),
      9,
    );
  });

  it('a state from before fits carried their step is taken as current', () => {
    const old = { ...paused, fit: { ...paused.fit!, step: undefined } };
    expect(fitFreshness(old)?.note).toBeNull();
  });
});

describe('after a divergence', () => {
  const state = divergedState();

  it('the banner and the status line name the same applied step and loss', () => {
    const refused = state.diverged!.step;
    expect(refused).toBe(state.step + 1);
    const loss = formatNumber(latestLoss(state)!);
    expect(trainingSummary(state)).toContain(`Step ${state.step},`);
    expect(trainingSummary(state)).toContain(`loss ${loss}`);
    expect(trainingSummary(state)).toContain(`step ${refused} was refused`);
    const banner = divergenceText(state)!;
    expect(banner).toContain(`step ${refused} was refused`);
    expect(banner).toContain(
      `weights of step ${state.step}, the last applied step (training loss ${loss})`,
    );
  });

  it('the fit is that of the weights kept', () => {
    expect(fitFreshness(state)).toMatchObject({ fitStep: state.step, note: null });
  });
});

describe('the unit view', () => {
  it('says it uses the weights before the update, and can use those after it', () => {
    const state = workedExampleState(6);
    const before = unitEquation(state, 1, 0);
    expect(before.weightsNote).toMatch(/^Weights before this step’s update/);
    expect(before.hasAfter).toBe(true);
    expect(before.lines[1]).toBe('= 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775');

    const after = unitEquation(state, 1, 0, 'after');
    expect(after.weightsNote).toMatch(/^Weights after this step’s update/);
    // The weights after the update are the state's (what the diagram shows).
    const w = state.network.weights[0]![0]!;
    const b = state.network.biases[0]![0]!;
    const x = state.trace!.a[0]!;
    const z = w[0]! * x[0]! + w[1]! * x[1]! + b;
    expect(after.lines[1]).toBe(
      `= ${formatNumber(w[0]!, 4)}·0.05 + ${formatNumber(w[1]!, 4)}·0.1 + 0.35 = ${formatNumber(z, 4)}`,
    );
    const a = ACTIVATIONS.sigmoid.output(z);
    expect(after.lines[2]).toBe(`a¹₁ = σ(z¹₁) = σ(${formatNumber(z, 4)}) = ${formatNumber(a, 4)}`);
  });

  it('names the current weights when no step is shown, and has no after while a step is open', () => {
    expect(unitEquation(workedExampleState(5), 1, 0).hasAfter).toBe(false);
    const noTrace = { ...workedExampleState(6), trace: null };
    expect(unitEquation(noTrace, 1, 0).weightsNote).toBe(
      `The current weights (step ${noTrace.step}).`,
    );
  });
});
