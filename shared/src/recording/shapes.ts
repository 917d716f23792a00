/**
 * What the schemas cannot see: that the networks in a recording fit the architecture in
 * force when they appear. The views index weights[l][j][i] by setup.layers, so a file
 * whose network disagrees with its setup would break the replay rather than be refused.
 */
import { findParametersProblem, formatProblem } from '../nn/networkChecks';
import type { SessionEvent } from '../session/events';
import { paramCount } from '../session/compact';
import type { FitView, NetworkValues, SessionState } from '../session/state';

export function findNetworkShapeProblem(
  layers: readonly number[],
  network: NetworkValues,
): string | null {
  const problem = findParametersProblem(layers, network.weights, network.biases);
  return problem && `network does not fit the ${layers.join('-')} setup: ${formatProblem(problem)}`;
}

/** The problem with a state's own network, or null. */
export function findStateShapeProblem(state: SessionState): string | null {
  return findNetworkShapeProblem(state.setup.layers, state.network);
}

/**
 * Follows the setup through the events and checks each network-bearing event against it,
 * and the fit predictions of play frames against the fit's rows in force.
 */
export class ShapeChecker {
  private layers: readonly number[];
  private fitRows: number | null;

  constructor(initial: SessionState) {
    this.layers = initial.setup.layers;
    this.fitRows = initial.fit?.rows.length ?? null;
  }

  /** The problem with the next event, or null; remembers a new setup. */
  check(event: SessionEvent): string | null {
    const fit = fitOf(event);
    if (fit !== undefined) this.fitRows = fit?.rows.length ?? null;
    switch (event.type) {
      case 'frame': {
        const expected = paramCount(this.layers);
        if (event.params && event.params.length !== expected) {
          return `params has ${event.params.length} numbers; a ${this.layers.join('-')} network has ${expected}`;
        }
        if (event.fit && this.fitRows !== null && event.fit.length !== this.fitRows) {
          return `fit has ${event.fit.length} predictions for ${this.fitRows} rows`;
        }
        return null;
      }
      case 'setup-changed':
        this.layers = event.setup.layers;
        return findNetworkShapeProblem(this.layers, event.network);
      case 'reset':
        return findNetworkShapeProblem(this.layers, event.network);
      case 'stepped':
      case 'progressed':
        return findNetworkShapeProblem(this.layers, event.progress.network);
      case 'stage-ran':
        return event.patch.kind === 'update'
          ? findNetworkShapeProblem(this.layers, event.patch.progress.network)
          : null;
      case 'network-set':
        return findNetworkShapeProblem(this.layers, event.network);
      case 'weight-edited': {
        const { layer, to, from } = event;
        const cols = this.layers[layer];
        const rows = this.layers[layer + 1];
        return cols !== undefined && rows !== undefined && to < rows && from < cols
          ? null
          : `there is no weight from unit ${from} to unit ${to} in matrix ${layer} of a ${this.layers.join('-')} network`;
      }
      default:
        return null;
    }
  }
}

/** The fit an event puts in the state (null included), or undefined if it leaves it alone. */
function fitOf(event: SessionEvent): FitView | null | undefined {
  switch (event.type) {
    case 'setup-changed':
    case 'reset':
    case 'weight-edited':
    case 'network-set':
      return event.fit;
    case 'stepped':
    case 'progressed':
      return event.progress.fit;
    case 'stage-ran':
      return event.patch.kind === 'update' ? event.patch.progress.fit : undefined;
    default:
      return undefined;
  }
}
