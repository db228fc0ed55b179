// Runs before each workerd test file. The workerd project shares one Worker runtime (and so one
// KV namespace) across its files (`isolate: false`, vitest.config.ts): every file starts from empty KV.
import { env } from 'cloudflare:test';
import { beforeAll } from 'vitest';

beforeAll(async () => {
  let cursor: string | undefined;
  do {
    const page = await env.STATE.list({ cursor });
    await Promise.all(page.keys.map((k) => env.STATE.delete(k.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
});
