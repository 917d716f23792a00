/**
 * The setup form's plane controls: noise, points, "new points", the input features and
 * regularization, as pure edits of the form's model (the host:setup payload).
 */
import {
  DEFAULT_FEATURES,
  DEFAULT_PLANE_OPTIONS,
  FEATURE_NAMES,
  PLANE_LIMITS,
  type FeatureName,
} from '@backprop/shared/data';
import { MAX_REGULARIZATION_RATE, type RegularizationKind as Kind } from '@backprop/shared/nn';
import { clampInt, type SetupModel } from '../host-controls';

export type PlaneModel = NonNullable<SetupModel['plane']>;
export type RegularizationKind = 'none' | Kind;

/** What a plane data set starts with (docs/playground.md). */
export const PLANE_DEFAULTS: PlaneModel = {
  ...DEFAULT_PLANE_OPTIONS,
  features: [...DEFAULT_FEATURES],
};
/** The noise slider's end, in percent. */
export const MAX_NOISE_PERCENT = Math.round(PLANE_LIMITS.noise.max * 100);
/** The rate a newly chosen regularization starts at. */
export const DEFAULT_REGULARIZATION_RATE = 0.001;

function withPlane(model: SetupModel, change: Partial<PlaneModel>): SetupModel {
  return { ...model, plane: { ...(model.plane ?? PLANE_DEFAULTS), ...change } };
}

export function withNoisePercent(model: SetupModel, percent: number): SetupModel {
  return withPlane(model, { noise: clampInt(percent, 0, MAX_NOISE_PERCENT) / 100 });
}

export function withPoints(model: SetupModel, points: number): SetupModel {
  return withPlane(model, {
    points: clampInt(points, PLANE_LIMITS.points.min, PLANE_LIMITS.points.max),
  });
}

/** "New points": the same data set drawn again with another data seed. */
export function withNewPoints(model: SetupModel, random: () => number = Math.random): SetupModel {
  let dataSeed = Math.floor(random() * 100_000);
  if (dataSeed === model.dataSeed) dataSeed += 1;
  return { ...model, dataSeed };
}

/**
 * Switches a feature on or off, keeping FEATURE_NAMES' order (so the input units are always
 * in the same order); the last feature cannot be switched off (a network needs an input).
 */
export function withFeature(model: SetupModel, name: FeatureName, on: boolean): SetupModel {
  const current = new Set(model.plane?.features ?? PLANE_DEFAULTS.features);
  if (on) current.add(name);
  else if (current.size > 1) current.delete(name);
  return withPlane(model, { features: FEATURE_NAMES.filter((f) => current.has(f)) });
}

export function withRegularization(
  model: SetupModel,
  kind: RegularizationKind,
  rate: number = model.regularization?.rate ?? DEFAULT_REGULARIZATION_RATE,
): SetupModel {
  const { regularization: _old, ...rest } = model;
  if (kind === 'none') return rest;
  const clamped = Number.isFinite(rate)
    ? Math.min(MAX_REGULARIZATION_RATE, Math.max(0, rate))
    : DEFAULT_REGULARIZATION_RATE;
  return { ...rest, regularization: { kind, rate: clamped } };
}
