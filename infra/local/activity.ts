/**
 * Counts work in flight (queued events, retries waiting, invocations, stream batches) so that
 * `POST /_local/drain` can answer only when nothing is pending.
 */
export class Activity {
  private pending = 0;
  private waiters: Array<() => void> = [];

  begin(): () => void {
    this.pending++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.pending--;
      if (this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  /** Resolves when no work is pending. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Runs `work` as one pending unit. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work();
    } finally {
      end();
    }
  }
}
