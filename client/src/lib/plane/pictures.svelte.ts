/**
 * What a page's plane pictures show: the weights of the state on screen, and the unit whose
 * picture takes the output heatmap's place. Each picture on screen is sent the weights once
 * per new state (flattened once for all of them), and the painter evaluates the grid and
 * draws (plane-paint.ts: in the paint worker, once per weights for all the pictures). No
 * picture off screen is sent anything.
 */
import { getContext, setContext, untrack } from 'svelte';
import type { NetworkValues } from '@backprop/shared/session';
import { flatNetwork } from './grid';
import type { PlaneInput, UnitRef } from './plane-paint';
import type { PlaneView } from './plane-view';

export type { UnitRef };

/** A picture on the page: sent the plane's weights while it is visible. */
export interface PlaneConsumer {
  visible: boolean;
  paint(plane: PlaneInput, view: PlaneView): void;
}

/** Cells per side of the grid (the issue asks for at least 64×64). */
export const GRID_RESOLUTION = 64;

/** Keys of the weights sent to the page's painter: one page, one painter, one count. */
let lastKey = 0;

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

  #network: NetworkValues | null = null;
  #view: PlaneView | null = null;
  /** The weights as the painter takes them; null: of another shape than the setup. */
  #plane: PlaneInput | null | undefined = undefined;
  // A plain array, not reactive: the pictures are painted from states, not from effects.
  #consumers: PlaneConsumer[] = [];

  /** New weights (or a new setup): the pictures on screen show them. */
  show(network: NetworkValues, view: PlaneView | null): void {
    if (network === this.#network && view === this.#view) return;
    this.#network = network;
    this.#view = view;
    this.#plane = undefined;
    for (const consumer of this.#consumers) this.repaint(consumer);
  }

  /** Adds a picture; returns its removal. */
  register(consumer: PlaneConsumer): () => void {
    this.#consumers.push(consumer);
    this.repaint(consumer);
    return () => {
      this.#consumers = this.#consumers.filter((c) => c !== consumer);
    };
  }

  /** Paints one picture again (it just appeared, was resized, or a toggle changed). */
  repaint(consumer: PlaneConsumer): void {
    const view = this.#view;
    if (!consumer.visible || !view) return;
    const plane = this.#input(view);
    // Outside the caller's effect: the picture's own state is not the caller's dependency.
    if (plane) untrack(() => consumer.paint(plane, view));
  }

  #input(view: PlaneView): PlaneInput | null {
    if (this.#plane !== undefined || !this.#network) return this.#plane ?? null;
    try {
      this.#plane = {
        key: ++lastKey,
        shape: {
          layers: [...view.layers],
          activations: [...view.activations],
          resolution: GRID_RESOLUTION,
          extent: view.extent,
        },
        features: [...view.features],
        network: flatNetwork(view.layers, this.#network),
      };
    } catch {
      // Weights of another shape than the setup (a frame between a setup and its network):
      // the next state brings matching ones.
      this.#plane = null;
    }
    return this.#plane;
  }
}

const KEY = Symbol('plane-pictures');

/** A page's pictures share the weights they show and the focus: the page calls this once. */
export function providePlanePictures(): PlanePictures {
  return setContext(KEY, new PlanePictures());
}

/** The page's shared pictures, or the component's own where no page provides them. */
export function usePlanePictures(): PlanePictures {
  return getContext<PlanePictures | undefined>(KEY) ?? new PlanePictures();
}
