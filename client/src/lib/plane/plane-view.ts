/**
 * What the plane pictures need from a setup, derived once per setup and with no traffic:
 * the shape of the network, how a point of the plane becomes its input units (the
 * features), the output's colour domain, and the data points regenerated from the setup bit
 * for bit as the server made them (planeDatasetOf).
 */
import {
  PLANE_EXTENT,
  featureLabel,
  isClassification,
  planeDatasetOf,
  type FeatureName,
} from '@backprop/shared/data';
import type { ActivationName } from '@backprop/shared/nn';
import type { TrainingSetup } from '@backprop/shared/session';
import { outputDomain, type Domain } from './heat-scale';

export interface PlanePoints {
  /** x₁, x₂ of every row, in the plane's own units. */
  raw: Float64Array;
  /** The first target of every row (the label: 0/1 or −1/+1, or the regression value). */
  label: Float64Array;
  trainRows: readonly number[];
  testRows: readonly number[];
}

export interface PlaneView {
  layers: readonly number[];
  activations: readonly ActivationName[];
  /** The plane is [−extent, extent]². */
  extent: number;
  features: readonly FeatureName[];
  /** Printed names of the input units: 'x₁', 'sin x₂', … */
  featureLabels: readonly string[];
  classification: boolean;
  /** The output's domain: its middle is the decision boundary. */
  domain: Domain;
  points: PlanePoints;
}

const views = new WeakMap<TrainingSetup, PlaneView | null>();

/** The setup's plane view, or null when its data set is not a plane data set. */
export function planeViewOf(setup: TrainingSetup): PlaneView | null {
  if (views.has(setup)) return views.get(setup)!;
  const view = buildView(setup);
  views.set(setup, view);
  return view;
}

function buildView(setup: TrainingSetup): PlaneView | null {
  const plane = setup.plane;
  if (!plane) return null;
  const data = planeDatasetOf(setup);
  if (!data) return null;
  const features = [...plane.features];
  const targets = data.dataset.targets.length;
  const label = new Float64Array(data.dataset.rows);
  for (let r = 0; r < label.length; r++) label[r] = data.dataset.y[r * targets]!;
  const classification = isClassification(setup.datasetId);
  return {
    layers: setup.layers,
    activations: setup.activations,
    extent: PLANE_EXTENT,
    features,
    featureLabels: features.map(featureLabel),
    classification,
    domain: outputDomain(setup.activations.at(-1) ?? 'linear', classification),
    points: { raw: data.raw, label, trainRows: data.trainRows, testRows: data.testRows },
  };
}
