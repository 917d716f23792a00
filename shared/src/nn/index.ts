/** The math kernel: dense networks on Float64Arrays, trained stage by stage. */
export * from './activations';
export * from './random';
export * from './network';
export {
  MAX_ABS_PARAMETER,
  NETWORK_LIMITS,
  findParametersProblem,
  findSpecProblem,
  formatProblem,
  type Problem,
} from './networkChecks';
export * from './networkFile';
export * from './stages';
export * from './trace';
export * from './trainer';
export * from './sampleOrder';
export * from './regularization';
// The forward arithmetic alone, for views that evaluate a network over many points (the
// client's heatmaps) without a Trainer and its trace.
export { forwardLayer } from './layerMath';
