import type { Summary } from './stats.ts';

export type GoalOp = '<=' | '>=' | '<' | '>';
/** A goal on one figure; for a repeated figure the median is compared. */
export type Goal = { metric: string; op: GoalOp; value: number; reportOnly?: boolean };

export type Figure = number | string | boolean | Summary | null | Figure[] | { [key: string]: Figure };
export type Figures = { [key: string]: Figure };

export type BenchmarkResult = {
  name: string;
  figures: Figures;
  goal: Goal;
  met: boolean;
  /** Why a goal was missed (measured facts and their cause); absent when it was met. */
  analysis?: string;
  /** What was measured and how, where it departs from the obvious (smaller counts, omitted steps). */
  notes?: string[];
};

export type MachineInfo = { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string; date: string };
export type BenchReport = { machine: MachineInfo; totalSeconds?: number; benchmarks: BenchmarkResult[] };

function isSummary(value: Figure | undefined): value is Summary {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Summary).median === 'number' && Array.isArray((value as Summary).runs);
}

/** The comparable number of a figure: itself, or the median of a repeated one. */
export function figureValue(figures: Figures, metric: string): number {
  const value = figures[metric];
  if (typeof value === 'number') return value;
  if (isSummary(value)) return value.median;
  throw new Error(`goal metric ${metric} is not a numeric figure`);
}

export function compare(actual: number, op: GoalOp, expected: number): boolean {
  switch (op) {
    case '<=':
      return actual <= expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '>':
      return actual > expected;
  }
}

/** Builds a result whose `met` is computed from the figures, never set by hand. */
export function result(input: { name: string; figures: Figures; goal: Goal; notes?: string[]; analysis?: (figures: Figures) => string | Promise<string> }): Promise<BenchmarkResult> {
  return (async () => {
    const met = compare(figureValue(input.figures, input.goal.metric), input.goal.op, input.goal.value);
    const analysis = !met && input.analysis ? await input.analysis(input.figures) : undefined;
    return { name: input.name, figures: input.figures, goal: input.goal, met, ...(analysis ? { analysis } : {}), ...(input.notes?.length ? { notes: input.notes } : {}) };
  })();
}
