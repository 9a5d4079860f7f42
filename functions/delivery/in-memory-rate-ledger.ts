import type { RateLedger } from './send-pace.ts';

/** An in-memory fake of the send-rate ledger for unit tests: the same rule as the DynamoDB adapter's condition. */
export class InMemoryRateLedger implements RateLedger {
  private readonly used = new Map<string, number>();
  async reserve(slot: { index: number; slotMs: number }, recipients: number, limit: number): Promise<boolean> {
    const key = `${slot.slotMs}#${slot.index}`;
    const used = this.used.get(key) ?? 0;
    if (used + recipients > limit) return false;
    this.used.set(key, used + recipients);
    return true;
  }
}
