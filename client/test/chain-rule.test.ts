import { describe, expect, it } from 'vitest';
import { workedExampleState } from '../src/components/fixtures';
import { chainRule } from '../src/lib/view/chain-rule';
import { unitEquation } from '../src/lib/view/unit-equation';

// Every expected number is from Mazur's "A Step by Step Backpropagation Example".
describe('chainRule on the worked example', () => {
  it('writes out ∂E/∂w for an output weight (Mazur w5)', () => {
    const result = chainRule(workedExampleState(6), { layer: 1, to: 0, from: 0 });
    if (!result.ready) throw new Error(result.message);
    const { view } = result;
    expect(view.heading.symbol).toBe('w²₁₁');
    expect(view.lines[1]).toBe('= (ŷ₁ − y₁) · f′(z²₁) · a¹₁');
    expect(view.lines[2]).toBe('= (0.7514 − 0.01) · 0.1868 · 0.5933');
    expect(view.lines[3]).toBe('= 0.7414 · 0.1868 · 0.5933 = 0.08217');
    expect(view.batchGradient).toBeCloseTo(0.082167041, 8);
    expect(view.after).toBeCloseTo(0.35891648, 8);
    expect(view.updateStatus).toBe('applied');
    expect(view.update).toBe('w²₁₁ ← w²₁₁ − α·∂E/∂w²₁₁ = 0.4 − 0.5·0.08217 = 0.3589');
  });

  it('lists every term of the hidden δ sum (Mazur w1)', () => {
    const result = chainRule(workedExampleState(6), { layer: 0, to: 0, from: 0 });
    if (!result.ready) throw new Error(result.message);
    const { lines, batchGradient, after } = result.view;
    expect(lines[2]).toBe('= (w²₁₁·δ²₁ + w²₁₂·δ²₂) · f′(z¹₁)');
    expect(lines[3]).toBe('= (0.4·0.1385 + 0.5·(−0.0381)) · 0.2413');
    expect(lines[4]).toBe('= 0.03635 · 0.2413 = 0.008771');
    expect(lines[6]).toBe('∂E/∂w¹₁₁ = δ¹₁ · x₁ = 0.008771 · 0.05 = 0.0004386');
    expect(batchGradient).toBeCloseTo(0.000438568, 9);
    expect(after).toBeCloseTo(0.149780716, 9);
  });

  it.each([
    ['l2', 0.01, 'L2: + λ·w²₁₁ = 0.01·0.4 = 0.004', 0.004],
    ['l1', 0.01, 'L1: + λ·sign(w²₁₁) = 0.01·1 = 0.01', 0.01],
  ] as const)(
    'adds the %s term of the weight before the step on its own line, as the kernel updates',
    (kind, rate, line, term) => {
      const result = chainRule(workedExampleState(6, { kind, rate }), { layer: 1, to: 0, from: 0 });
      if (!result.ready) throw new Error(result.message);
      const { view } = result;
      expect(view.regularization?.line).toBe(line);
      expect(view.regularization?.term).toBeCloseTo(term, 12);
      expect(view.totalGradient).toBeCloseTo(0.082167041 + term, 8);
      // The kernel's own update agrees with the line the inspector writes.
      expect(view.after).toBeCloseTo(0.4 - 0.5 * view.totalGradient, 12);
      expect(view.update).toContain(`${(0.4 - 0.5 * view.totalGradient).toPrecision(4)}`);
    },
  );

  it('has no regularization line without regularization', () => {
    const result = chainRule(workedExampleState(6), { layer: 1, to: 0, from: 0 });
    if (!result.ready) throw new Error(result.message);
    expect(result.view.regularization).toBeNull();
    expect(result.view.totalGradient).toBe(result.view.batchGradient);
  });

  it('says what to do while the gradient is not known yet', () => {
    const opened = chainRule(workedExampleState(0), { layer: 1, to: 0, from: 0 });
    expect(opened.ready).toBe(false);
    if (!opened.ready) expect(opened.message).toMatch(/Step through the backward pass/);
    // Mid-step: the output layer's gradients exist, the hidden layer's do not yet.
    expect(chainRule(workedExampleState(4), { layer: 1, to: 0, from: 0 }).ready).toBe(true);
    expect(chainRule(workedExampleState(4), { layer: 0, to: 0, from: 0 }).ready).toBe(false);
  });

  it('marks the update pending until the update stage runs', () => {
    const result = chainRule(workedExampleState(5), { layer: 0, to: 0, from: 0 });
    if (!result.ready) throw new Error(result.message);
    expect(result.view.updateStatus).toBe('pending');
    expect(result.view.after).toBeNull();
  });
});

describe('unitEquation', () => {
  it('writes z as a dot product with the numbers (Mazur h1)', () => {
    const view = unitEquation(workedExampleState(1), 1, 0);
    expect(view.lines).toEqual([
      'z¹₁ = w¹₁₁·x₁ + w¹₂₁·x₂ + b¹₁',
      '= 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775',
      'a¹₁ = σ(z¹₁) = σ(0.3775) = 0.5933',
    ]);
    expect(view.hint).toBeNull();
  });

  it('adds the error and δ of an output unit once known (Mazur o1)', () => {
    const view = unitEquation(workedExampleState(4), 2, 0);
    expect(view.lines.slice(2)).toEqual([
      'a²₁ = σ(z²₁) = σ(1.106) = 0.7514',
      'ŷ₁ − y₁ = 0.7514 − 0.01 = 0.7414',
      'δ²₁ = ∂E/∂z²₁ = 0.1385',
    ]);
  });

  it('hints at the stage to run before the forward pass', () => {
    const view = unitEquation(workedExampleState(0), 2, 1);
    expect(view.name).toBe('output unit 2 (o2)');
    expect(view.hint).toMatch(/Step forward/);
  });
});
