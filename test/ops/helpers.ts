// Shared by the ops tests: an environment with the admin token and the seed feeds as sources,
// KV wrappers that count or break writes, and requests through the real Worker.
import { env } from 'cloudflare:test';
import sourcesJson from '../../seeds/sources.json';
import worker from '../../src/index';
import type { FetchLike } from '../../src/fetch/fetcher';
import type { RunDeps } from '../../src/scheduled';

export const TOKEN = 'test-admin-token-5f0c2e9a';
export const SEED_URLS = sourcesJson.map((s) => `http://seeds.test/${s.file}`);
const SEED_SOURCES = JSON.stringify(sourcesJson.map((s, i) => ({ url: SEED_URLS[i], name: s.name })));

/**
 * The seed feeds as configured sources; private addresses refused unless a test allows them. The
 * one-invocation run (no queues bound); `queuedEnv` adds the queues of wrangler.toml.
 */
export function testEnv(overrides: Record<string, unknown> = {}): Env {
  return { ...env, POLL_QUEUE: undefined, FILE_QUEUE: undefined, SOURCES: SEED_SOURCES, ADMIN_TOKEN: TOKEN, PUBLIC_URL: 'https://news.example.org', ...overrides } as unknown as Env;
}

export async function clearKv(kv: KVNamespace = env.STATE): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await kv.list({ cursor });
    await Promise.all(page.keys.map((k) => kv.delete(k.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

export async function request(target: Env, path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const { token = TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return worker.fetch(new Request(`https://news.example.org${path}`, { ...rest, headers }), target, {} as ExecutionContext);
}

export function jsonBody(value: unknown, method = 'POST'): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export interface KvCall {
  op: 'get' | 'put' | 'delete' | 'list' | 'getWithMetadata';
  key: string;
}

/**
 * env.STATE with every call recorded; `failPut(n, key)` decides whether the n-th put (1-based)
 * throws, e.g. to kill a run half-way or to answer with KV's 429.
 */
export function instrumentedKv(kv: KVNamespace, failPut: (n: number, key: string) => Error | null = () => null) {
  const calls: KvCall[] = [];
  let puts = 0;
  const wrapped = new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      return async (...args: unknown[]) => {
        const key = Array.isArray(args[0]) ? (args[0] as string[]).join(',') : String(args[0] ?? '');
        calls.push({ op: property as KvCall['op'], key: property === 'list' ? `prefix:${(args[0] as { prefix?: string } | undefined)?.prefix ?? ''}` : key });
        if (property === 'put') {
          const error = failPut(++puts, key);
          if (error) throw error;
        }
        return method(...args);
      };
    },
  });
  return {
    kv: wrapped,
    calls,
    writes: () => calls.filter((c) => c.op === 'put' || c.op === 'delete'),
    reads: () => calls.filter((c) => c.op === 'get' || c.op === 'getWithMetadata'),
  };
}

/** Deterministic run dependencies: a fixed clock and the test's outbound stub (seeds.test). */
export function runDeps(overrides: Partial<RunDeps> = {}): RunDeps {
  return { fetch: (input, init) => fetch(input, init), now: () => new Date('2025-07-23T12:00:00Z'), ...overrides };
}

/** A fetch that serves seed feeds, with their bodies passed through `mutate`. */
export function seedFetch(mutate: (body: Uint8Array, url: string) => Uint8Array | Response): FetchLike {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!res.ok) return res;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const out = mutate(new Uint8Array(await res.arrayBuffer()), url);
    return out instanceof Response ? out : new Response(out, { headers: res.headers });
  };
}

/**
 * env.STATE as a run sees it that the platform kills: `death(n, method, args)` looks at each
 * write (put or delete, n counted from 1) and says whether the isolate dies just before it
 * ('before': it never lands) or just after it ('after'). From then on nothing written lands,
 * not even the lease release (a killed isolate runs no `finally`). Reads are untouched.
 */
export function killedKv(death: (n: number, method: 'put' | 'delete', args: unknown[]) => 'before' | 'after' | null, limit: string): KVNamespace {
  let writes = 0;
  let killed = false;
  return new Proxy(env.STATE, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (property !== 'put' && property !== 'delete') return method;
      return async (...args: unknown[]) => {
        const when = killed ? 'before' : death(++writes, property, args);
        if (when === 'before') killed = true;
        if (killed) throw new Error(`the isolate was killed (${limit})`);
        const result = await method(...args);
        if (when === 'after') killed = true;
        return result;
      };
    },
  });
}
