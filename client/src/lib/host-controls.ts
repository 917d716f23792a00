import {
  DEFAULT_FEATURES,
  DEFAULT_PLANE_OPTIONS,
  isPlaneDatasetId,
  suggestedNetwork,
  testFractionFor,
} from '@backprop/shared/data';
import type { ActivationName } from '@backprop/shared/nn';
import { LIMITS, type Payload } from '@backprop/shared/protocol';
import { dataSeedOf, type TrainingSetup } from '@backprop/shared/session';

// --- The setup form ------------------------------------------------------------------------

/** What the setup form edits: exactly the host:setup payload. */
export type SetupModel = Payload<'host:setup'>;

export function setupModelOf(setup: TrainingSetup): SetupModel {
  return {
    datasetId: setup.datasetId as SetupModel['datasetId'],
    hidden: setup.layers.slice(1, -1),
    activations: [...setup.activations],
    trainBiases: setup.trainBiases,
    seed: setup.seed,
    dataSeed: dataSeedOf(setup),
    normalize: setup.normalize,
    testFraction: setup.testFraction,
    ...(setup.plane && { plane: { ...setup.plane, features: [...setup.plane.features] } }),
    ...(setup.regularization && { regularization: { ...setup.regularization } }),
  };
}

/**
 * A new dataset brings its suggested architecture; the seed, the test split (brought into
 * the playground's 10–90 % for plane data) and the regularization stay. A plane data set
 * keeps the points and features already chosen for another plane data set (as TensorFlow
 * Playground does), or starts from the defaults.
 */
export function withDataset(model: SetupModel, datasetId: SetupModel['datasetId']): SetupModel {
  const suggestion = suggestedNetwork(datasetId);
  const { plane, ...rest } = model;
  return {
    ...rest,
    datasetId,
    hidden: suggestion.hidden,
    activations: suggestion.activations,
    normalize: suggestion.normalize,
    testFraction: testFractionFor(isPlaneDatasetId(datasetId), model.testFraction),
    ...(isPlaneDatasetId(datasetId) && {
      plane: plane ?? { ...DEFAULT_PLANE_OPTIONS, features: [...DEFAULT_FEATURES] },
    }),
  };
}

/** Adds a hidden layer before the output, copying the last hidden layer's size and activation. */
export function addLayer(model: SetupModel): SetupModel {
  if (model.hidden.length >= LIMITS.maxHiddenLayers) return model;
  const units = model.hidden.at(-1) ?? 4;
  const activation: ActivationName =
    model.hidden.length > 0 ? model.activations[model.hidden.length - 1]! : 'tanh';
  const output = model.activations.at(-1) ?? 'linear';
  return {
    ...model,
    hidden: [...model.hidden, units],
    activations: [...model.activations.slice(0, model.hidden.length), activation, output],
  };
}

export function removeLayer(model: SetupModel, index: number): SetupModel {
  if (index < 0 || index >= model.hidden.length) return model;
  return {
    ...model,
    hidden: model.hidden.filter((_, k) => k !== index),
    activations: model.activations.filter((_, k) => k !== index),
  };
}

export function setUnits(model: SetupModel, index: number, units: number): SetupModel {
  const clamped = Math.min(LIMITS.maxUnits, Math.max(1, Math.round(units) || 1));
  return { ...model, hidden: model.hidden.map((u, k) => (k === index ? clamped : u)) };
}

export function setActivation(
  model: SetupModel,
  index: number,
  activation: ActivationName,
): SetupModel {
  return { ...model, activations: model.activations.map((a, k) => (k === index ? activation : a)) };
}

// --- Hyperparameters -----------------------------------------------------------------------

/** The learning-rate slider moves in log10 units from 10⁻⁵ to 10¹. */
export const RATE_SLIDER = {
  min: Math.log10(LIMITS.minLearningRate),
  max: Math.log10(LIMITS.maxLearningRate),
  step: 0.05,
} as const;

export function rateToSlider(rate: number): number {
  const clamped = Math.min(LIMITS.maxLearningRate, Math.max(LIMITS.minLearningRate, rate));
  return Math.round(Math.log10(clamped) / RATE_SLIDER.step) * RATE_SLIDER.step;
}

/** A slider position as a rate with two significant digits (0.1, 0.25, 3.2e-4). */
export function sliderToRate(position: number): number {
  const rate = Number((10 ** position).toPrecision(2));
  return Math.min(LIMITS.maxLearningRate, Math.max(LIMITS.minLearningRate, rate));
}

/** A typed rate, or the reason it cannot be used. */
export function parseRate(
  text: string,
): { ok: true; rate: number } | { ok: false; reason: string } {
  const rate = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(rate))
    return { ok: false, reason: 'Enter a number, e.g. 0.1' };
  if (rate < LIMITS.minLearningRate)
    return { ok: false, reason: `At least ${LIMITS.minLearningRate}` };
  if (rate > LIMITS.maxLearningRate)
    return { ok: false, reason: `At most ${LIMITS.maxLearningRate}` };
  return { ok: true, rate };
}

export function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.round(value)));
}

// --- Keyboard shortcuts ----------------------------------------------------------------------

export type ShortcutAction =
  | { kind: 'step'; granularity: Payload<'host:step'>['granularity'] }
  | { kind: 'toggle-play' }
  | { kind: 'reset' }
  /** Show the selected weight or unit to the class, or stop showing (selection.ts nextFocus). */
  | { kind: 'show-to-class' };

/** Where the key was pressed: typing in a field, on another control, or anywhere else. */
export type KeyTarget = 'text' | 'control' | 'other';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
}

export const SHORTCUTS: { key: string; label: string; action: ShortcutAction }[] = [
  { key: 's', label: 'stage', action: { kind: 'step', granularity: 'stage' } },
  { key: 'n', label: 'sample', action: { kind: 'step', granularity: 'sample' } },
  { key: 'b', label: 'batch', action: { kind: 'step', granularity: 'batch' } },
  { key: 'e', label: 'epoch', action: { kind: 'step', granularity: 'epoch' } },
  { key: 'p', label: 'play / pause', action: { kind: 'toggle-play' } },
  // Space too, except on a focused control (where Space presses that control).
  { key: ' ', label: 'play / pause', action: { kind: 'toggle-play' } },
  { key: 'r', label: 'reset', action: { kind: 'reset' } },
  { key: 'c', label: 'show to class / stop showing', action: { kind: 'show-to-class' } },
];

/** The shortcuts for the help line: keys with the same action together ('P or Space'). */
export const SHORTCUT_HELP: { keys: string[]; label: string }[] = SHORTCUTS.reduce<
  { keys: string[]; label: string }[]
>((help, { key, label }) => {
  const name = key === ' ' ? 'Space' : key.toUpperCase();
  const same = help.find((h) => h.label === label);
  if (same) same.keys.push(name);
  else help.push({ keys: [name], label });
  return help;
}, []);

/**
 * The action of a key press, or null. Never while typing; Space never on a control (it
 * presses that control); no modifier combinations (they belong to the browser); no key
 * repeat (holding "s" must not run twenty stages).
 */
export function shortcutFor(press: KeyPress, target: KeyTarget): ShortcutAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.repeat || target === 'text')
    return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (key === ' ' && target === 'control') return null;
  return SHORTCUTS.find((s) => s.key === key)?.action ?? null;
}

// --- CSV upload --------------------------------------------------------------------------------

/** Column names from a CSV header line (quotes removed); the server checks the rest. */
export function csvHeader(text: string): string[] {
  const first = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  const names: string[] = [];
  let cell = '';
  let quoted = false;
  for (let k = 0; k < first.length; k++) {
    const ch = first[k]!;
    if (quoted) {
      if (ch === '"' && first[k + 1] === '"') {
        cell += '"';
        k++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      names.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  names.push(cell.trim());
  return names.filter((name) => name !== '');
}
