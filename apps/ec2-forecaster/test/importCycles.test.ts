import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
// Static imports and re-exports, type-only ones included: a type cycle is still a tangle.
const RELATIVE = /^\s*(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm;

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const deps = [...text.matchAll(RELATIVE)].map((m) => `${join(m[1]).replace(/^\.\//, '')}.ts`);
    g.set(file, deps);
  }
  return g;
}

function findCycle(g: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const d of g.get(n) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of g.keys()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('apps/ec2-forecaster/src', () => {
  it('has no import cycle', () => {
    const g = graph();
    expect(g.get('main.ts')).toEqual(['cli.ts']);
    expect(findCycle(g)?.join(' → ')).toBeUndefined();
  });
});
