import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs'));

const capabilityOf = (file: string) => (file.startsWith('functions/') ? file.split('/')[1] : undefined);

/** The capability graph: which capability folder imports which (the core included). */
function capabilityGraph(result: ICruiseResult): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const module of result.modules) {
    const from = capabilityOf(module.source);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const dependency of module.dependencies) {
      const to = capabilityOf(dependency.resolved);
      if (to && to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** A cycle in the graph as a path (`a → b → a`), or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the house of functions/', () => {
  let result: ICruiseResult;

  beforeAll(async () => {
    process.chdir(root);
    const reporter = await cruise(['functions', 'events'], { ruleSet: config, validate: true, ...config.options });
    result = reporter.output as ICruiseResult;
  }, 60_000);

  it('has no module cycle, no reach into another capability, no entry file imported, a core that stands alone', () => {
    const violations = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
  });

  it('has no cycle between capability folders', () => {
    expect(findCycle(capabilityGraph(result))).toBeUndefined();
  });

  it('finds a cycle between capabilities when there is one (the check itself can fail)', () => {
    const graph = new Map([
      ['intake', new Set(['programme', 'core'])],
      ['programme', new Set(['intake'])],
    ]);
    expect(findCycle(graph)).toEqual(['intake', 'programme', 'intake']);
  });

  it('sees every capability folder and their imports', () => {
    const graph = capabilityGraph(result);
    for (const capability of ['core', 'identity', 'intake', 'waitlist', 'programme', 'reminders', 'delivery', 'digest', 'registrant', 'admin', 'outbox-relay']) {
      expect(graph.has(capability), capability).toBe(true);
    }
    expect(graph.get('intake')).toContain('core');
    expect(graph.get('core')?.size).toBe(0);
  });
});

describe('Lambda entry files', () => {
  it('are adapters of about 40 lines at most, one per function in the topology', async () => {
    const { readFileSync } = await import('node:fs');
    const { functionSpecs } = await import('../../infra/topology.ts');
    const long = Object.values(functionSpecs)
      .map((spec) => ({ entry: spec.entry, lines: readFileSync(path.join(root, spec.entry), 'utf8').trimEnd().split('\n').length }))
      .filter(({ lines }) => lines > 45);
    expect(long).toEqual([]);
    for (const spec of Object.values(functionSpecs)) expect(spec.entry).toMatch(/^functions\/[a-z-]+\/[a-z-]+\.handler\.ts$/);
  });
});
