/**
 * Runs `work` again after a lost race: when it throws an error `retryable` accepts, up to `attempts`
 * times, with full-jitter backoff (10 ms doubling, at most 500 ms). Any other error, or the last one,
 * escapes. The domain's state machines (waiting list, holds) re-read and re-plan inside `work`.
 */
export async function retryLostRaces<T>(work: () => Promise<T>, retryable: (error: unknown) => boolean, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!retryable(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 10 * 2 ** attempt)));
    }
  }
}
