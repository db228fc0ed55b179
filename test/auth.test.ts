// src/auth.ts: the bearer-token guard. In workerd, because the comparison uses
// crypto.subtle.timingSafeEqual, a Workers extension Node does not have.
import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { checkBearer, requireAdmin } from '../src/auth';

const TOKEN = 's3cret-token-for-tests';

describe('checkBearer', () => {
  it('accepts the expected token, with any case of "Bearer" and spaces around it', async () => {
    expect(await checkBearer(`Bearer ${TOKEN}`, TOKEN)).toBeNull();
    expect(await checkBearer(`bearer   ${TOKEN} `, TOKEN)).toBeNull();
  });

  it('is off (503) while no token is configured, whatever the header', async () => {
    expect(await checkBearer(`Bearer ${TOKEN}`, null)).toMatchObject({ status: 503, challenge: null, error: expect.stringMatching(/ADMIN_TOKEN/) });
  });

  it('answers 401 with a challenge for a missing or malformed header', async () => {
    expect(await checkBearer(undefined, TOKEN)).toMatchObject({ status: 401, challenge: 'Bearer realm="storywire"' });
    expect(await checkBearer('', TOKEN)).toMatchObject({ status: 401 });
    expect(await checkBearer(`Basic ${btoa('a:b')}`, TOKEN)).toMatchObject({ status: 401, challenge: expect.stringContaining('invalid_request') });
    expect(await checkBearer('Bearer two words', TOKEN)).toMatchObject({ status: 401 });
  });

  it('answers 403 for a wrong token, a prefix or a longer one included', async () => {
    for (const given of ['wrong', TOKEN.slice(0, -1), `${TOKEN}x`]) {
      expect(await checkBearer(`Bearer ${given}`, TOKEN), given).toMatchObject({ status: 403, challenge: expect.stringContaining('invalid_token') });
    }
  });
});

describe('requireAdmin', () => {
  const app = new Hono<{ Bindings: Env }>().use('*', requireAdmin).get('/api/admin/x', (c) => c.json({ ok: true }));

  it('lets the right token through', async () => {
    const res = await app.request('/api/admin/x', { headers: { Authorization: `Bearer ${TOKEN}` } }, { ...env, ADMIN_TOKEN: TOKEN });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('refuses with JSON, no-store and WWW-Authenticate', async () => {
    const res = await app.request('/api/admin/x', { headers: { Authorization: 'Bearer nope' } }, { ...env, ADMIN_TOKEN: TOKEN });
    expect(res.status).toBe(403);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('WWW-Authenticate')).toContain('invalid_token');
    expect(await res.json()).toEqual({ error: 'auth: wrong token' });
  });

  it('is off without ADMIN_TOKEN: 503 and no challenge', async () => {
    const { ADMIN_TOKEN: _unset, ...withoutToken } = { ...env, ADMIN_TOKEN: undefined };
    const res = await app.request('/api/admin/x', { headers: { Authorization: `Bearer ${TOKEN}` } }, withoutToken as Env);
    expect(res.status).toBe(503);
    expect(res.headers.get('WWW-Authenticate')).toBeNull();
  });
});
