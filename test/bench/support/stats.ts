/** A repeated measurement: the median is the figure, min and max its spread, runs the raw values. */
export type Summary = { median: number; min: number; max: number; runs: number[] };

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile with linear interpolation between ranks (p in 0…100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function summarize(runs: readonly number[], digits = 3): Summary {
  return { median: round(median(runs), digits), min: round(Math.min(...runs), digits), max: round(Math.max(...runs), digits), runs: runs.map((v) => round(v, digits)) };
}

/** Runs `work(i)` for i in 0…count-1 with at most `concurrency` at once; results in index order. */
export async function pool<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await work(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
