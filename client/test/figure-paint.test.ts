import { afterEach, expect, test, vi } from 'vitest';
import type { FigureLook } from '../src/lib/paint/figure-draw';
import type { Canvas } from '../src/lib/paint/canvas';
import { paintScene, type SceneCache } from '../src/lib/paint/paint-scene';
import { PlaneGrids } from '../src/lib/plane/plane-paint';

/** Figures evaluate no plane: the painter's grid is only passed along. */
const grids = new PlaneGrids();

const look: FigureLook = {
  width: 90,
  height: 40,
  ratio: 2,
  style: 'normal',
  weight: '700',
  family: 'system-ui, sans-serif',
  sizePx: 15,
  lineHeightPx: 20,
  color: 'rgb(17, 24, 39)',
};

/** A canvas whose 2-D context writes down what is drawn; its font's ascent 24, descent 8. */
function recordingCanvas() {
  const drawn: unknown[][] = [];
  const context = {
    font: '',
    fillStyle: '',
    textAlign: '',
    textBaseline: '',
    clearRect: (...args: unknown[]) => drawn.push(['clearRect', ...args]),
    measureText: () => ({ fontBoundingBoxAscent: 24, fontBoundingBoxDescent: 8 }),
    fillText: (...args: unknown[]) =>
      drawn.push(['fillText', context.font, context.fillStyle, ...args]),
  };
  const canvas = { width: 300, height: 150, getContext: () => context };
  return { canvas: canvas as unknown as Canvas & { width: number; height: number }, drawn };
}

test('a figure is drawn at the end of its box, on the baseline the page would give its text', () => {
  const { canvas, drawn } = recordingCanvas();
  paintScene(canvas, { type: 'figure', text: '14071', look }, {}, grids);
  expect([canvas.width, canvas.height]).toEqual([90, 40]);
  // A line 20 px high at 2 device pixels per px, a font 24 + 8 high: half the leading (4) above.
  expect(drawn).toEqual([
    ['clearRect', 0, 0, 90, 40],
    ['fillText', 'normal 700 30px system-ui, sans-serif', look.color, '14071', 90, 28, 90],
  ]);
});

test('a figure is narrowed to the part of its canvas that its box shows', () => {
  const { canvas, drawn } = recordingCanvas();
  paintScene(canvas, { type: 'figure', text: 'NaN', look, fit: 0.5 }, {}, grids);
  expect(drawn.at(-1)).toEqual([
    'fillText',
    'normal 700 30px system-ui, sans-serif',
    look.color,
    'NaN',
    90,
    28,
    45,
  ]);
});

test("a figure at the start of its box is drawn from the canvas's left edge", () => {
  const { canvas, drawn } = recordingCanvas();
  const context = canvas.getContext('2d') as unknown as { textAlign: string };
  paintScene(canvas, { type: 'figure', text: '0.5', look, fit: 0.5, align: 'start' }, {}, grids);
  expect(context.textAlign).toBe('start');
  expect(drawn.at(-1)).toEqual([
    'fillText',
    'normal 700 30px system-ui, sans-serif',
    look.color,
    '0.5',
    0,
    28,
    45,
  ]);
});

test("a figure's look is sent once: later figures are drawn with it, none before it", () => {
  const { canvas, drawn } = recordingCanvas();
  const cache: SceneCache = {};
  paintScene(canvas, { type: 'figure', text: '1' }, cache, grids);
  expect(drawn).toEqual([]);
  paintScene(canvas, { type: 'figure', text: '2', look }, cache, grids);
  paintScene(canvas, { type: 'figure', text: '3' }, cache, grids);
  expect(drawn.filter(([kind]) => kind === 'fillText').map((call) => call[3])).toEqual(['2', '3']);
});

afterEach(() => vi.unstubAllGlobals());

test("a task's paintings reach the paint worker as one message, in order, with their transfers", async () => {
  const posted: { messages: unknown; transfer: unknown[] }[] = [];
  vi.stubGlobal(
    'Worker',
    class {
      onerror: unknown = null;
      postMessage(messages: unknown, transfer: unknown[]) {
        posted.push({ messages, transfer });
      }
    },
  );
  const { canvasPainter } = await import('../src/lib/paint/painter');
  const element = (name: string) =>
    ({ transferControlToOffscreen: () => ({ name }) }) as unknown as HTMLCanvasElement;
  const step = canvasPainter(element('step'), () => {});
  const loss = canvasPainter(element('loss'), () => {});
  const buffer = new ArrayBuffer(8);
  step.paint({ type: 'figure', text: '12', look });
  loss.paint({ type: 'figure', text: '0.5' }, [buffer]);
  expect(posted, 'nothing before the task ends').toEqual([]);
  await Promise.resolve();
  expect(posted).toHaveLength(1);
  const [batch] = posted;
  expect(batch!.messages).toEqual([
    { kind: 'canvas', id: 0, canvas: { name: 'step' } },
    { kind: 'canvas', id: 1, canvas: { name: 'loss' } },
    { kind: 'scene', id: 0, scene: { type: 'figure', text: '12', look } },
    { kind: 'scene', id: 1, scene: { type: 'figure', text: '0.5' } },
  ]);
  expect(batch!.transfer).toEqual([{ name: 'step' }, { name: 'loss' }, buffer]);
  step.paint({ type: 'figure', text: '13' });
  await Promise.resolve();
  expect(posted).toHaveLength(2);
});
