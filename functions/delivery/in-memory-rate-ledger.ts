import type { RateLedger } from './send-pace.ts';

/** An in-memory fake of the send-rate ledger for unit tests: the same rule as the DynamoDB adapter's condition. */
export class InMemoryRateLedger implements RateLedger {
  private readonly used = new Map<string, { total: number; bulk: number }>();
  async reserve(slot: { index: number; slotMs: number }, recipients: number, limits: { total: number; bulk?: number }): Promise<number | undefined> {
    const key = `${slot.slotMs}#${slot.index}`;
    const used = this.used.get(key) ?? { total: 0, bulk: 0 };
    if (used.total + recipients > limits.total) return undefined;
    if (limits.bulk !== undefined && used.bulk + recipients > limits.bulk) return undefined;
    this.used.set(key, { total: used.total + recipients, bulk: used.bulk + (limits.bulk === undefined ? 0 : recipients) });
    return used.total;
  }
  async claim(slot: { index: number; slotMs: number }, places: number): Promise<number> {
    const key = `${slot.slotMs}#${slot.index}`;
    const used = this.used.get(key) ?? { total: 0, bulk: 0 };
    this.used.set(key, { ...used, total: used.total + places });
    return used.total;
  }
}
