// KV takes at most one write per second per key and answers faster writes with 429
// ("KV PUT failed: 429 Too Many Requests"). Writes here are whole-value puts of the same
// bytes, so retrying them is safe: wait (1 s, 2 s, 4 s, plus jitter) and try again.

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 4,
  baseDelayMs: 1000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function isRateLimited(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /\b429\b|too many requests/i.test(message);
}

export async function withKvRetry<T>(operation: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (!isRateLimited(err) || attempt >= options.attempts) throw err;
      const delay = options.baseDelayMs * 2 ** (attempt - 1);
      await options.sleep(delay + Math.random() * options.baseDelayMs * 0.25);
    }
  }
}

/** The same namespace, with writes (put, delete) retried on 429. */
export function retryingKv(kv: KVNamespace, options: RetryOptions = DEFAULT_RETRY): KVNamespace {
  return new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
      if (property === 'put' || property === 'delete') return (...args: unknown[]) => withKvRetry(() => method(...args), options);
      return method;
    },
  });
}
