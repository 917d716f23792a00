/**
 * The chain rule for one weight, written out with the numbers of the current step, as
 * lines of text the inspector prints. Pure: the trace already holds every value; this
 * only picks them and writes the arithmetic out (each line's result is the kernel's own
 * number, never one recomputed here, so the UI cannot disagree with the training).
 */
import { ACTIVATIONS, regularizationGradient } from '@backprop/shared/nn';
import type { SessionState, TraceView } from '@backprop/shared/session';
import { fmt, fmtFactor } from './format';
import {
  activationSymbol,
  gradientSymbol,
  matrixMeaning,
  outputSymbol,
  stageText,
  subscript,
  superscript,
  targetSymbol,
  unitSymbol,
  weightMeaning,
  weightSymbol,
} from './notation';
import { stepRefused } from './stage-progress';

export interface WeightRef {
  layer: number;
  to: number;
  from: number;
}

export interface WeightHeading {
  /** w²₁₁ */
  symbol: string;
  /** ∂E/∂w²₁₁ */
  gradient: string;
  /** 'from hidden unit 1 to output unit 1' */
  meaning: string;
  /** 'hidden → output' */
  matrix: string;
  /** The weight the step started from (the network's current value when no step is shown). */
  value: number;
}

export interface ChainRuleView {
  heading: WeightHeading;
  /** One equation per line; the inspector prints them in order. */
  lines: string[];
  /** What f′ is for this layer's activation, e.g. 'σ′(z) = σ(z)·(1−σ(z))'. */
  derivative: string;
  /** ∂E/∂w of the shown sample alone. */
  sampleGradient: number;
  /** The batch mean of the data part: ∂(½Σ(ŷ−y)²)/∂w. */
  batchGradient: number;
  /**
   * With regularization, its term of ∂E/∂w written out (λ·sign(w) or λ·w of the weight
   * before the step) and the sum the update uses; null without regularization.
   */
  regularization: { term: number; line: string; total: string } | null;
  /** What the update uses: the batch mean plus the regularization term. */
  totalGradient: number;
  batchSize: number;
  learningRate: number;
  /** 'w ← w − α·∂E/∂w = 0.4 − 0.5·0.08217 = 0.3589' */
  update: string;
  /** The weight after the update, once applied; null while pending or when refused. */
  after: number | null;
  updateStatus: 'applied' | 'pending' | 'refused';
}

export type ChainRuleResult =
  { ready: true; view: ChainRuleView } | { ready: false; heading: WeightHeading; message: string };

export function weightHeading(state: SessionState, w: WeightRef): WeightHeading {
  const layers = state.setup.layers;
  const weights = state.trace?.weightsBefore ?? state.network.weights;
  return {
    symbol: weightSymbol(w.layer, w.to, w.from),
    gradient: gradientSymbol(w.layer, w.to, w.from),
    meaning: weightMeaning(w.layer, w.to, w.from, layers),
    matrix: matrixMeaning(w.layer, layers),
    value: weights[w.layer]?.[w.to]?.[w.from] ?? NaN,
  };
}

export function chainRule(state: SessionState, w: WeightRef): ChainRuleResult {
  const heading = weightHeading(state, w);
  const trace = state.trace;
  const backward = stageText({ kind: 'backward', layer: w.layer }, state.setup.layers);
  if (!trace) {
    return {
      ready: false,
      heading,
      message: `Step through the backward pass to see ${heading.gradient}: start a step by stages and run it up to “${backward}”.`,
    };
  }
  const gradRow = trace.gradWeights[w.layer];
  const batchGradient = gradRow?.[w.to]?.[w.from];
  const lines = gradRow ? writeLines(state, trace, w) : null;
  if (batchGradient === undefined || !lines) {
    return {
      ready: false,
      heading,
      message: `Step through the backward pass to see ${heading.gradient}: it is known after “${backward}”.`,
    };
  }
  const activation = ACTIVATIONS[state.setup.activations[w.layer]!];
  const alpha = trace.learningRate;
  const before = heading.value;
  const after = trace.weightsAfter?.[w.layer]?.[w.to]?.[w.from] ?? null;
  const regularization = regularizationLines(state, heading, batchGradient);
  const totalGradient = batchGradient + (regularization?.term ?? 0);
  const predicted = before - alpha * totalGradient;
  return {
    ready: true,
    view: {
      heading,
      lines: lines.lines,
      derivative: activation.derFormula,
      sampleGradient: lines.sampleGradient,
      batchGradient,
      regularization,
      totalGradient,
      batchSize: trace.batchSize,
      learningRate: alpha,
      update:
        `${heading.symbol} ← ${heading.symbol} − α·${heading.gradient} = ` +
        `${fmt(before)} − ${fmt(alpha)}·${fmtFactor(totalGradient)} = ${fmt(after ?? predicted)}`,
      after,
      updateStatus: after !== null ? 'applied' : stepRefused(state) ? 'refused' : 'pending',
    },
  };
}

/**
 * The regularization term of ∂E/∂w, from the weight before the step (docs/playground.md):
 * '+ λ·w²₁₁ = 0.001·0.4 = 0.0004' for L2, '+ λ·sign(w²₁₁) = 0.001·1 = 0.001' for L1.
 */
function regularizationLines(
  state: SessionState,
  heading: WeightHeading,
  dataGradient: number,
): ChainRuleView['regularization'] {
  const reg = state.setup.regularization;
  if (!reg) return null;
  const w = heading.value;
  const term = regularizationGradient(reg, w);
  const name = reg.kind.toUpperCase();
  const line =
    reg.kind === 'l1'
      ? `${name}: + λ·sign(${heading.symbol}) = ${fmt(reg.rate)}·${Math.sign(w)} = ${fmt(term)}`
      : `${name}: + λ·${heading.symbol} = ${fmt(reg.rate)}·${fmtFactor(w)} = ${fmt(term)}`;
  const total = `${heading.gradient} = ${fmt(dataGradient)} + ${fmtFactor(term)} = ${fmt(dataGradient + term)}`;
  return { term, line, total };
}

/** The equations, or null while a value they need has not been computed yet. */
function writeLines(
  state: SessionState,
  trace: TraceView,
  w: WeightRef,
): { lines: string[]; sampleGradient: number } | null {
  const L = state.setup.layers.length - 1;
  const unitLayer = w.layer + 1;
  const j = w.to;
  const i = w.from;
  const activation = ACTIVATIONS[state.setup.activations[w.layer]!];
  const z = trace.z[w.layer]?.[j];
  const a = trace.a[unitLayer]?.[j];
  const aFrom = trace.a[w.layer]?.[i];
  const delta = trace.delta[w.layer]?.[j];
  if (z === undefined || a === undefined || aFrom === undefined || delta === undefined) return null;
  const fPrime = activation.der(z, a);
  const sampleGradient = delta * aFrom;
  const gradient = gradientSymbol(w.layer, j, i);
  const weight = weightSymbol(w.layer, j, i);
  const zSym = unitSymbol('z', unitLayer, j);
  const dSym = unitSymbol('δ', unitLayer, j);
  const aFromSym = activationSymbol(w.layer, i);
  const fPrimeLine = `f′(${zSym}) = f′(${fmt(z)}) = ${fmt(fPrime)}`;

  if (unitLayer === L) {
    const error = trace.error?.[j];
    const target = trace.target[j];
    if (error === undefined || target === undefined) return null;
    const yHat = outputSymbol(j);
    const y = targetSymbol(j);
    return {
      sampleGradient,
      lines: [
        `${gradient} = ∂E/∂${yHat} · ∂${yHat}/∂${zSym} · ∂${zSym}/∂${weight}`,
        `= (${yHat} − ${y}) · f′(${zSym}) · ${aFromSym}`,
        `= (${fmt(a)} − ${fmtFactor(target)}) · ${fmtFactor(fPrime)} · ${fmtFactor(aFrom)}`,
        `= ${fmtFactor(error)} · ${fmtFactor(fPrime)} · ${fmtFactor(aFrom)} = ${fmt(sampleGradient)}`,
        fPrimeLine,
      ],
    };
  }

  // A hidden unit: its δ gathers the δ of every unit it feeds, through the weights from
  // before this step's update (the math contract).
  const nextDelta = trace.delta[unitLayer];
  const nextWeights = trace.weightsBefore[unitLayer];
  if (!nextDelta || !nextWeights) return null;
  const next = unitLayer + 1;
  const terms = nextDelta.map((d, k) => ({
    weight: nextWeights[k]![j]!,
    weightSym: weightSymbol(unitLayer, k, j),
    delta: d,
    deltaSym: unitSymbol('δ', next, k),
  }));
  const sum = terms.reduce((total, t) => total + t.weight * t.delta, 0);
  const kWeight = `w${superscript(next)}${subscript(j + 1)}ₖ`;
  const kDelta = `δ${superscript(next)}ₖ`;
  return {
    sampleGradient,
    lines: [
      `${gradient} = ${dSym} · ${aFromSym},  where ${dSym} = ∂E/∂${zSym}`,
      `${dSym} = (Σₖ ${kWeight}·${kDelta}) · f′(${zSym})`,
      `= (${terms.map((t) => `${t.weightSym}·${t.deltaSym}`).join(' + ')}) · f′(${zSym})`,
      `= (${terms.map((t) => `${fmtFactor(t.weight)}·${fmtFactor(t.delta)}`).join(' + ')}) · ${fmtFactor(fPrime)}`,
      `= ${fmtFactor(sum)} · ${fmtFactor(fPrime)} = ${fmt(delta)}`,
      fPrimeLine,
      `${gradient} = ${dSym} · ${aFromSym} = ${fmtFactor(delta)} · ${fmtFactor(aFrom)} = ${fmt(sampleGradient)}`,
    ],
  };
}
