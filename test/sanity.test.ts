import { env } from 'cloudflare:test';
import { expect, it } from 'vitest';
it('kv works', async () => {
  await env.STATE.put('a', 'b');
  expect(await env.STATE.get('a')).toBe('b');
});
