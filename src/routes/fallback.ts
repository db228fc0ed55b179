// What answers when no route does: 405 with `Allow` when the path exists under other methods,
// else 404; never cached; an HTML page for browsers (Accept prefers text/html), JSON otherwise.
import type { Context } from 'hono';
import { readSettings } from '../config';
import { renderErrorPage } from '../render/html';
import { baseFor, siteInfo } from '../render/site';

export interface RouteEntry {
  method: string;
  path: string;
}

/** Methods the app's routes answer at `pathname` (GET implies HEAD); middleware (`ALL`) does not count. */
export function allowedMethods(routes: readonly RouteEntry[], pathname: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || !routePattern(route.path).test(pathname)) continue;
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
  }
  const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  return [...methods].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** True when the client would rather read HTML than JSON (a browser), by the Accept header's q-values. */
export function prefersHtml(accept: string | null | undefined): boolean {
  const html = quality(accept, 'text/html');
  return html > 0 && html >= quality(accept, 'application/json');
}

/** True when the client names JSON and ranks it above HTML (an API client on an HTML route). */
export function prefersJson(accept: string | null | undefined): boolean {
  const json = quality(accept, 'application/json');
  return json > 0 && json > quality(accept, 'text/html');
}

/** The q-value the Accept header gives `type` by name (-1 when not named; wildcards do not count). */
function quality(accept: string | null | undefined, type: string): number {
  let best = -1;
  for (const part of (accept ?? '').split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    if (range.trim() !== type) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    best = Math.max(best, q ? Number(q.slice(2)) || 0 : 1);
  }
  return best;
}

export function unmatchedRoute(c: Context<{ Bindings: Env }>, routes: readonly RouteEntry[]): Response {
  const pathname = new URL(c.req.url).pathname;
  const allow = allowedMethods(routes, pathname);
  const notAllowed = allow.length > 0;
  const status = notAllowed ? 405 : 404;
  const message = notAllowed ? `method not allowed: ${c.req.method} ${pathname} answers ${allow.join(', ')}` : 'not found';
  const headers = new Headers({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  if (notAllowed) headers.set('Allow', allow.join(', '));

  const page = prefersHtml(c.req.header('accept')) ? htmlPage(c, notAllowed ? 'Method not allowed' : 'Page not found', notAllowed ? message : `Nothing lives at ${pathname}.`) : null;
  if (page !== null) {
    headers.set('Content-Type', 'text/html; charset=utf-8');
    headers.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    return new Response(page, { status, headers });
  }
  headers.set('Content-Type', 'application/json; charset=utf-8');
  const body = notAllowed ? { error: message, allow } : { error: message, path: pathname };
  return new Response(JSON.stringify(body), { status, headers });
}

/** The site's error page, or null when the settings themselves are broken (JSON says so better). */
function htmlPage(c: Context<{ Bindings: Env }>, heading: string, message: string): string | null {
  try {
    const settings = readSettings(c.env);
    return renderErrorPage(siteInfo(settings, baseFor(settings, c.req.url)), heading, message);
  } catch {
    return null;
  }
}

/** Hono path syntax to a RegExp: `:name` one segment, `:name{re}` that pattern, `*` anything. Exact: a trailing slash is another path (routes/canonical.ts redirects GETs). */
function routePattern(path: string): RegExp {
  let source = '';
  for (const segment of path.split('/').slice(1)) {
    const param = /^:\w+(?:\{(.+)\})?(\?)?$/.exec(segment);
    if (param) source += param[2] ? `(?:/(?:${param[1] ?? '[^/]+'}))?` : `/(?:${param[1] ?? '[^/]+'})`;
    else if (segment === '*') source += '(?:/.*)?';
    else source += `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  }
  return new RegExp(`^${source || '/'}$`);
}
