// src/http: conditional requests, entity tags, document responses and CORS, as a client sees them.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { httpDate, isNotModified } from '../../src/http/conditional';
import { publicCors } from '../../src/http/cors';
import { bodyEtag, variantEtag } from '../../src/http/etag';
import { CACHE_CONTROL, documentResponse, errorResponse, type Document } from '../../src/http/respond';

const validators = { etag: '"abc123"', lastModified: '2025-07-22T10:00:30.500Z' };

function headers(init: Record<string, string>): Headers {
  return new Headers(init);
}

describe('isNotModified', () => {
  it('matches If-None-Match lists with weak comparison and *', () => {
    expect(isNotModified(headers({ 'If-None-Match': '"abc123"' }), validators)).toBe(true);
    expect(isNotModified(headers({ 'If-None-Match': 'W/"abc123"' }), validators)).toBe(true);
    expect(isNotModified(headers({ 'If-None-Match': '"old", W/"other" , "abc123"' }), validators)).toBe(true);
    expect(isNotModified(headers({ 'If-None-Match': ' * ' }), validators)).toBe(true);
    expect(isNotModified(headers({ 'If-None-Match': '"abc12"' }), validators)).toBe(false);
    expect(isNotModified(headers({ 'If-None-Match': 'abc123' }), validators)).toBe(false);
  });

  it('matches a weak stored tag against a strong request tag', () => {
    expect(isNotModified(headers({ 'If-None-Match': '"abc123"' }), { ...validators, etag: 'W/"abc123"' })).toBe(true);
  });

  it('compares If-Modified-Since in whole seconds', () => {
    expect(isNotModified(headers({ 'If-Modified-Since': 'Tue, 22 Jul 2025 10:00:30 GMT' }), validators)).toBe(true);
    expect(isNotModified(headers({ 'If-Modified-Since': 'Tue, 22 Jul 2025 10:00:29 GMT' }), validators)).toBe(false);
    expect(isNotModified(headers({ 'If-Modified-Since': 'yesterday-ish' }), validators)).toBe(false);
    expect(isNotModified(headers({}), validators)).toBe(false);
  });

  it('ignores If-Modified-Since when If-None-Match is present', () => {
    const both = headers({ 'If-None-Match': '"other"', 'If-Modified-Since': 'Tue, 22 Jul 2025 11:00:00 GMT' });
    expect(isNotModified(both, validators)).toBe(false);
  });

  it('writes Last-Modified as an IMF-fixdate', () => {
    expect(httpDate('2025-07-22T10:00:30.500Z')).toBe('Tue, 22 Jul 2025 10:00:30 GMT');
  });
});

describe('entity tags', () => {
  it('derives a strong tag of 32 hex digits from the body, different for a different body', async () => {
    const tag = await bodyEtag('<rss/>');
    expect(tag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await bodyEtag('<rss/>')).toBe(tag);
    expect(await bodyEtag('<rss />')).not.toBe(tag);
  });

  it('gives each variant of a stored body its own strong tag', () => {
    const a = variantEtag('"0123"', 'https://a.example');
    expect(a).toMatch(/^"0123-[0-9a-f]{8}"$/);
    expect(variantEtag('"0123"', 'https://b.example')).not.toBe(a);
  });
});

describe('documentResponse', () => {
  const doc: Document = { body: '<html></html>', contentType: 'text/html; charset=utf-8', ...validators, headers: { Link: '<https://x.example/>; rel="next"' } };

  it('answers 200 with validators, caching, safety headers and the body', async () => {
    const res = documentResponse(new Request('https://w.example/'), doc);
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe('"abc123"');
    expect(res.headers.get('Last-Modified')).toBe('Tue, 22 Jul 2025 10:00:30 GMT');
    expect(res.headers.get('Cache-Control')).toBe(CACHE_CONTROL);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(res.headers.get('Link')).toBe('<https://x.example/>; rel="next"');
    expect(await res.text()).toBe('<html></html>');
  });

  it('answers 304 with no body, its validators kept and no Content-Type', async () => {
    const res = documentResponse(new Request('https://w.example/', { headers: { 'If-None-Match': 'W/"abc123"' } }), doc);
    expect(res.status).toBe(304);
    expect(res.body).toBeNull();
    expect(res.headers.get('ETag')).toBe('"abc123"');
    expect(res.headers.get('Last-Modified')).toBe('Tue, 22 Jul 2025 10:00:30 GMT');
    expect(res.headers.get('Cache-Control')).toBe(CACHE_CONTROL);
    expect(res.headers.get('Content-Type')).toBeNull();
  });

  it('sends no HTML policy headers for feeds', () => {
    const res = documentResponse(new Request('https://w.example/feed.xml'), { ...doc, contentType: 'application/rss+xml; charset=utf-8' });
    expect(res.headers.get('Content-Security-Policy')).toBeNull();
    expect(res.headers.get('Content-Type')).toBe('application/rss+xml; charset=utf-8');
  });

  it('answers HEAD through a Hono route with the headers of GET and no body', async () => {
    const app = new Hono().get('/feed.xml', (c) => documentResponse(c.req.raw, { ...doc, contentType: 'application/rss+xml' }));
    const res = await app.request('/feed.xml', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe('"abc123"');
    expect(res.headers.get('Content-Type')).toBe('application/rss+xml');
    expect(await res.text()).toBe('');
    const notModified = await app.request('/feed.xml', { method: 'HEAD', headers: { 'If-None-Match': '"abc123"' } });
    expect(notModified.status).toBe(304);
  });
});

describe('errorResponse', () => {
  it('answers JSON or plain text, never cached', async () => {
    const json = errorResponse(400, 'feeds: bad limit', true);
    expect(json.status).toBe(400);
    expect(json.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(json.headers.get('Cache-Control')).toBe('no-store');
    expect(await json.json()).toEqual({ error: 'feeds: bad limit' });
    const text = errorResponse(404, 'not found', false);
    expect(text.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('not found\n');
  });
});

describe('publicCors', () => {
  const app = new Hono().use('*', publicCors).get('/feed.json', (c) => c.json({ ok: true }));

  it('lets any origin read and exposes the validators', async () => {
    const res = await app.request('/feed.json', { headers: { Origin: 'https://reader.example' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('ETag');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('Last-Modified');
  });

  it('answers a preflight for conditional requests', async () => {
    const res = await app.request('/feed.json', {
      method: 'OPTIONS',
      headers: { Origin: 'https://reader.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'if-none-match' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('GET');
    expect(res.headers.get('Access-Control-Allow-Headers')).toContain('If-None-Match');
  });
});
