// Unknown routes and wrong methods: 404 / 405 with Allow, never cached, HTML for browsers.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { allowedMethods, prefersHtml } from '../../src/routes/fallback';

const vars = { ...env, PUBLIC_URL: 'https://wire.example', ADMIN_TOKEN: 'tok-123' } as Env;
const call = (path: string, init: RequestInit = {}) => app.request(`https://wire.example${path}`, init, vars);
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8';

describe('unknown routes', () => {
  it('answer 404 as JSON for API clients and curl, with no-store', async () => {
    for (const accept of [undefined, '*/*', 'application/json']) {
      const res = await call('/no/such/page', { headers: accept ? { accept } : {} });
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({ error: 'not found', path: '/no/such/page' });
    }
  });

  it('answer 404 as the site\'s HTML page for a browser', async () => {
    const res = await call('/no/such/page', { headers: { accept: BROWSER } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<h2>Page not found</h2>');
    expect(html).toContain('Nothing lives at /no/such/page.');
  });
});

describe('wrong methods', () => {
  it.each([
    ['POST', '/feed.xml', 'GET, HEAD'],
    ['DELETE', '/', 'GET, HEAD'],
    ['PUT', '/stories/abc', 'GET, HEAD'],
    ['POST', '/stories/abc/feed.json', 'GET, HEAD'],
    ['DELETE', '/health', 'GET, HEAD'],
  ])('%s %s answers 405 with Allow: %s', async (method, path, allow) => {
    const res = await call(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ error: `method not allowed: ${method} ${path} answers ${allow}`, allow: allow.split(', ') });
  });

  it('answers 405 on admin and push routes (after the token check) and as HTML for a browser', async () => {
    const auth = { authorization: 'Bearer tok-123' };
    const run = await call('/api/admin/run', { headers: auth });
    expect(run.status).toBe(405);
    expect(run.headers.get('allow')).toBe('POST');
    const articles = await call('/api/articles', { headers: auth });
    expect(articles.status).toBe(405);
    expect(articles.headers.get('allow')).toBe('POST');
    const source = await call('/api/admin/sources/x1', { method: 'PUT', headers: auth });
    expect(source.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE');
    const page = await call('/feed.json', { method: 'POST', headers: { accept: BROWSER } });
    expect(page.status).toBe(405);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('Method not allowed');
  });
});

describe('canonical paths', () => {
  it.each([
    ['/feed.xml/', '/feed.xml'],
    ['/atom.xml/?sort=top&limit=5', '/atom.xml?sort=top&limit=5'],
    ['/health/', '/health'],
    ['/api/stories//', '/api/stories'],
    ['/stories/abc/', '/stories/abc'],
    ['/stories/abc.json/', '/stories/abc.json'],
    ['/stories/abc/feed.json/?x=1', '/stories/abc/feed.json?x=1'],
  ])('GET %s answers 301 to %s', async (path, target) => {
    for (const method of ['GET', 'HEAD']) {
      const res = await call(path, { method });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(target);
    }
  });

  it('answers 404 for a trailing slash on other methods, on unknown paths, and never redirects off the site', async () => {
    for (const [method, path] of [['POST', '/feed.xml/'], ['GET', '/nope/'], ['GET', '//evil.example/'], ['GET', '/stories/a/b/'], ['GET', '//']]) {
      const res = await call(path!, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('checks the token before the method or the path on admin and push paths', async () => {
    for (const [method, path] of [
      ['POST', '/api/admin/sources/x1'], ['POST', '/api/admin/sources/'], ['GET', '/api/admin/sources/'], ['POST', '/api/admin/nothing'],
      ['GET', '/api/admin'], ['GET', '/api/articles'], ['POST', '/api/articles/'], ['PUT', '/api/feeds/ingest/'], ['DELETE', '/api/admin/run'],
      ['POST', '/api/admin/corrections/'],
    ]) {
      const res = await call(path!, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="storywire"');
      expect(res.headers.get('allow')).toBeNull();
      const wrong = await call(path!, { method, headers: { authorization: 'Bearer nope' } });
      expect(wrong.status, `${method} ${path} with a wrong token`).toBe(403);
    }
    const auth = { authorization: 'Bearer tok-123' };
    const slash = await call('/api/admin/sources/', { headers: auth });
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/api/admin/sources');
    expect(slash.headers.get('cache-control')).toBe('no-store');
    expect((await call('/api/articles/', { method: 'POST', headers: auth })).status).toBe(404);
    expect((await call('/api/admin/nothing', { method: 'POST', headers: auth })).status).toBe(404);
  });

  it('are answered the same way by a Worker whose admin APIs are off', async () => {
    const off = { ...vars, ADMIN_TOKEN: undefined } as unknown as Env;
    const res = await app.request('https://wire.example/api/admin/sources/x1', { method: 'POST' }, off);
    expect(res.status).toBe(503);
    expect((await app.request('https://wire.example/feed.json/', {}, off)).status).toBe(301);
  });
});

describe('errors of HTML routes', () => {
  it('come as JSON to a client that asks for JSON, as an HTML page otherwise, never cached', async () => {
    const json = await call('/stories/nope', { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(json.headers.get('cache-control')).toBe('no-store');
    expect(await json.json()).toEqual({ error: 'story: no story with id "nope"' });
    const bad = await call('/?min_sources=lots', { headers: { accept: 'application/json' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^filter: min_sources/);
    const page = await call('/stories/nope', { headers: { accept: BROWSER } });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await call('/stories/nope')).headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});

describe('helpers', () => {
  it('reads Hono path patterns', () => {
    const routes = [{ method: 'GET', path: '/stories/:id' }, { method: 'ALL', path: '/stories/*' }, { method: 'POST', path: '/api/x/:id{[0-9]+}' }];
    expect(allowedMethods(routes, '/stories/a.json')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(routes, '/stories/a/b')).toEqual([]);
    expect(allowedMethods(routes, '/api/x/12')).toEqual(['POST']);
    expect(allowedMethods(routes, '/api/x/ab')).toEqual([]);
    expect(allowedMethods(routes, '/stories/a/')).toEqual([]);
  });

  it('prefers HTML only when the client ranks it at least as high as JSON', () => {
    expect(prefersHtml(BROWSER)).toBe(true);
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false);
    expect(prefersHtml('text/html;q=0')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml(null)).toBe(false);
  });
});
