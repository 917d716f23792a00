/**
 * One evaluation of the network over the plane per animation frame, shared by every picture
 * of a page: the output heatmap and the diagram's per-unit pictures read the same grid. The
 * grid is computed only when a picture that shows it is on screen and the weights changed,
 * at most once per frame however many frames of play arrive in between, and in a worker
 * where there is one (grid-evaluator.ts): the page only paints its answer.
 */
import { getContext, setContext } from 'svelte';
import type { NetworkValues } from '@backprop/shared/session';
import { PlaneGrid } from './grid';
import { workerEvaluator, type GridEvaluator } from './grid-evaluator';
import type { PlaneView } from './plane-view';

/** A unit of the diagram: layer 0 is the input features, the last layer the output. */
export interface UnitRef {
  layer: number;
  unit: number;
}

/** A picture on the page: painted from the grid while it is visible. */
export interface PlaneConsumer {
  visible: boolean;
  paint(grid: PlaneGrid, view: PlaneView): void;
}

/** Cells per side of the grid (the issue asks for at least 64×64). */
export const GRID_RESOLUTION = 64;

export type FrameRequest = (callback: () => void) => unknown;

export class PlanePictures {
  /** The unit under the mouse in the diagram. */
  hovered: UnitRef | null = $state.raw(null);
  /** The unit tapped or clicked in the diagram (again: unpinned). */
  pinned: UnitRef | null = $state.raw(null);
  /** The unit whose picture takes the heatmap's place: hovered, else pinned. */
  get focus(): UnitRef | null {
    return this.hovered ?? this.pinned;
  }

  /** A tap or click on a unit pins its picture; on the pinned one, unpins it. */
  pin(unit: UnitRef): void {
    const same = this.pinned?.layer === unit.layer && this.pinned.unit === unit.unit;
    this.pinned = same ? null : unit;
  }

  /** Back to the output. */
  clearFocus(): void {
    this.hovered = null;
    this.pinned = null;
  }
  /** Evaluations done (for tests and the benchmark). */
  evaluations = 0;

  #grid: PlaneGrid | null = null;
  #network: NetworkValues | null = null;
  #view: PlaneView | null = null;
  #painted: NetworkValues | null = null;
  #pending = false;
  // A plain array, not reactive: the pictures are painted from frames, not from effects.
  #consumers: PlaneConsumer[] = [];
  readonly #frame: FrameRequest;
  readonly #evaluator: GridEvaluator | null;
  /** The weights the evaluator is working on: one evaluation at a time. */
  #evaluating: NetworkValues | null = null;

  constructor(
    frame: FrameRequest = (callback) => requestAnimationFrame(callback),
    evaluator: GridEvaluator | null = workerEvaluator(),
  ) {
    this.#frame = frame;
    this.#evaluator = evaluator;
  }

  /** New weights (or a new setup): repaint on the next frame, if anyone is looking. */
  show(network: NetworkValues, view: PlaneView | null): void {
    if (network === this.#network && view === this.#view) return;
    this.#network = network;
    this.#view = view;
    this.#painted = null;
    this.wake();
  }

  /** Adds a picture; returns its removal. */
  register(consumer: PlaneConsumer): () => void {
    this.#consumers.push(consumer);
    this.#painted = null;
    this.wake();
    return () => {
      this.#consumers = this.#consumers.filter((c) => c !== consumer);
    };
  }

  /** Schedules a frame when there is something new to paint and someone to see it. */
  wake(): void {
    if (this.#pending || !this.#view || !this.#network) return;
    if (!this.#consumers.some((c) => c.visible)) return;
    this.#pending = true;
    this.#frame(() => this.#paint());
  }

  /** Repaints the pictures now (a consumer that just appeared, or a toggle). */
  repaint(consumer: PlaneConsumer): void {
    if (this.#grid && this.#view && this.#painted === this.#network && consumer.visible) {
      consumer.paint(this.#grid, this.#view);
    } else {
      this.#painted = null;
      this.wake();
    }
  }

  #paint(): void {
    this.#pending = false;
    const network = this.#network;
    const view = this.#view;
    if (!network || !view) return;
    const visible = this.#consumers.filter((c) => c.visible);
    if (visible.length === 0) return;
    if (this.#painted === network) {
      for (const consumer of visible) consumer.paint(this.#grid!, view);
      return;
    }
    const shape = {
      layers: view.layers,
      activations: view.activations,
      resolution: GRID_RESOLUTION,
      extent: view.extent,
    };
    if (!this.#grid?.fits(shape)) this.#grid = new PlaneGrid(shape);
    const evaluator = this.#evaluator;
    if (evaluator && !evaluator.failed) {
      // Its answer paints, and asks again if newer weights came meanwhile.
      if (this.#evaluating) return;
      this.#evaluating = network;
      evaluator.evaluate({ shape, features: view.features, network }).then(
        (activations) => this.#evaluated(network, view, activations),
        () => {
          // Weights of another shape than the setup are skipped, as on the page (below); a
          // worker that failed leaves the page to evaluate.
          this.#evaluating = null;
          if (evaluator.failed) this.wake();
        },
      );
      return;
    }
    try {
      this.#grid.evaluate(network, view.inputs);
    } catch {
      // Weights of another shape than the setup (a frame between a setup and its
      // network): the next state brings matching ones.
      return;
    }
    this.#done(network, view);
  }

  #evaluated(network: NetworkValues, view: PlaneView, activations: Float64Array[]): void {
    this.#evaluating = null;
    // A new setup meanwhile: these activations are of the old one's shape.
    if (view === this.#view && this.#grid) {
      this.#grid.adopt(activations);
      this.#done(network, view);
    }
    if (this.#network !== network) this.wake();
  }

  /** The grid holds `network`'s values: the pictures on screen show them. */
  #done(network: NetworkValues, view: PlaneView): void {
    this.evaluations += 1;
    this.#painted = network;
    for (const consumer of this.#consumers) if (consumer.visible) consumer.paint(this.#grid!, view);
  }
}

const KEY = Symbol('plane-pictures');

/** A page's pictures share one grid: the page calls this once. */
export function providePlanePictures(): PlanePictures {
  return setContext(KEY, new PlanePictures());
}

/** The page's shared grid, or a grid of the component's own where no page provides one. */
export function usePlanePictures(): PlanePictures {
  return getContext<PlanePictures | undefined>(KEY) ?? new PlanePictures();
}
