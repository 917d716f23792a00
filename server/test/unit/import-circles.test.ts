/**
 * Modules that import each other, in a circle, are one module in disguise: none can be
 * read, tested or changed alone (server/src/room grew one, 12 files, where helpers took the
 * whole Room and the Room called them back). These tests keep the circles out: none at all
 * in server/src/room (type imports included: they tie the files together as much), and no
 * circle of imports that run anywhere in server, client or shared. What remains are type
 * hubs (a type declared beside the code that uses its implementers), listed below.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports between the .ts files under `dir`; `runtime`: without type-only ones. */
function importGraph(dir: string, runtime: boolean): Map<string, string[]> {
  const files = new Set(sourceFiles(dir));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of source.matchAll(/^(import|export)(\s+type)?\s[^;]*?from\s+'(\.[^']*)'/gms)) {
      if (runtime && m[2]) continue;
      const target = resolve(dirname(file), m[3]!) + (m[3]!.endsWith('.ts') ? '' : '.ts');
      if (files.has(target)) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The circles: strongly connected components of more than one file (Tarjan). */
function circles(graph: Map<string, string[]>, root: string): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(relative(root, w));
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('server/src/room: no import circle, type imports included', () => {
  const room = join(ROOT, 'server/src/room');
  expect(circles(importGraph(room, false), room)).toEqual([]);
});

test.each(['server/src', 'client/src', 'shared/src'])('%s: no circle of runtime imports', (dir) => {
  const root = join(ROOT, dir);
  expect(circles(importGraph(root, true), root)).toEqual([]);
});

test('a circle is found, and type-only imports count only when asked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'circles-'));
  try {
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport const a = 1;\n");
    writeFileSync(join(dir, 'b.ts'), "import {\n  a,\n} from './a';\nexport type B = 2;\n");
    writeFileSync(join(dir, 'c.ts'), "export { a } from './a';\n");
    expect(circles(importGraph(dir, false), dir)).toEqual([['a.ts', 'b.ts']]);
    expect(circles(importGraph(dir, true), dir)).toEqual([]);
    writeFileSync(join(dir, 'a.ts'), "import { c } from './c';\nimport type { B } from './b';\n");
    writeFileSync(join(dir, 'c.ts'), "export { a } from './b';\nexport const c = 3;\n");
    expect(circles(importGraph(dir, true), dir)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
