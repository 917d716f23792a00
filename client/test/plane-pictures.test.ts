import { describe, expect, it } from 'vitest';
import type { NetworkValues } from '@backprop/shared/session';
import { PlanePictures } from '../src/lib/plane/pictures.svelte';
import type { PlaneInput } from '../src/lib/plane/plane-paint';
import type { PlaneView } from '../src/lib/plane/plane-view';

const VIEW: PlaneView = {
  layers: [2, 1],
  activations: ['tanh'],
  extent: 6,
  features: ['x1', 'x2'],
  featureLabels: ['x₁', 'x₂'],
  classification: true,
  domain: { lo: -1, hi: 1 },
  points: { raw: new Float64Array(), label: new Float64Array(), trainRows: [], testRows: [] },
};
const net = (w: number): NetworkValues => ({ weights: [[[w, 0]]], biases: [[0]] });

function consumer(visible: boolean) {
  const sent: PlaneInput[] = [];
  return { visible, sent, paint: (plane: PlaneInput) => sent.push(plane) };
}

describe('PlanePictures', () => {
  it('sends each picture on screen the new weights, flattened once for all of them', () => {
    const pictures = new PlanePictures();
    const heatmap = consumer(true);
    const units = consumer(true);
    pictures.register(heatmap);
    pictures.register(units);
    pictures.show(net(0.5), VIEW);
    expect(heatmap.sent).toHaveLength(1);
    expect(units.sent[0]).toBe(heatmap.sent[0]);
    const plane = heatmap.sent[0]!;
    expect([...plane.network.weights]).toEqual([0.5, 0]);
    expect(plane.shape).toEqual({
      layers: [2, 1],
      activations: ['tanh'],
      resolution: 64,
      extent: 6,
    });
    expect(plane.features).toEqual(['x1', 'x2']);
    // New weights have a new key: the painter evaluates each key once.
    pictures.show(net(0.25), VIEW);
    expect(heatmap.sent[1]!.key).not.toBe(plane.key);
  });

  it('sends nothing while no picture is on screen, and the newest weights when one appears', () => {
    const pictures = new PlanePictures();
    const picture = consumer(false);
    pictures.register(picture);
    pictures.show(net(1), VIEW);
    pictures.show(net(2), VIEW);
    expect(picture.sent).toEqual([]);
    picture.visible = true;
    pictures.repaint(picture);
    expect(picture.sent.map((p) => p.network.weights[0])).toEqual([2]);
  });

  it('the same weights again send nothing; a repaint sends the same key (no new evaluation)', () => {
    const pictures = new PlanePictures();
    const picture = consumer(true);
    pictures.register(picture);
    const same = net(1);
    pictures.show(same, VIEW);
    pictures.show(same, VIEW);
    expect(picture.sent).toHaveLength(1);
    pictures.repaint(picture);
    expect(picture.sent.map((p) => p.key)).toEqual([picture.sent[0]!.key, picture.sent[0]!.key]);
  });

  it('skips weights of another shape than the setup instead of throwing', () => {
    const pictures = new PlanePictures();
    const picture = consumer(true);
    pictures.register(picture);
    const wrong = {
      weights: [
        [
          [1, 2],
          [3, 4],
        ],
      ],
      biases: [[0, 0]],
    };
    expect(() => pictures.show(wrong, VIEW)).not.toThrow();
    expect(picture.sent).toEqual([]);
    pictures.show(net(1), VIEW);
    expect(picture.sent).toHaveLength(1);
  });

  it('a registered picture on screen is painted at once; a removed one no more', () => {
    const pictures = new PlanePictures();
    pictures.show(net(1), VIEW);
    const picture = consumer(true);
    const remove = pictures.register(picture);
    expect(picture.sent).toHaveLength(1);
    remove();
    pictures.show(net(2), VIEW);
    expect(picture.sent).toHaveLength(1);
  });
});
