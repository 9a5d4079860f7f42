/** The one source of "now" in domain code, so tests and schedules can pin it. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const time = new Date(at);
  return { now: () => new Date(time) };
}
