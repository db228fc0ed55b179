// What every request meets before the routes: the token of the admin and push APIs is checked
// before anything else about the request (so a request without one learns nothing, not even
// which methods a path answers), then a GET to a known path written with a trailing slash is
// sent to the path without it. Everything else goes on to the routes (and to 404/405).
import { createMiddleware } from 'hono/factory';
import { refuse } from '../auth';
import { allowedMethods, type RouteEntry } from './fallback';

/** Paths the bearer token guards: the admin API and the two push endpoints, at any depth. */
const TOKEN_PATHS = /^\/api\/(?:admin|articles|feeds\/ingest)(?:\/|$)/;

export function isTokenPath(pathname: string): boolean {
  return TOKEN_PATHS.test(pathname);
}

/**
 * The path without its trailing slashes when that is where a GET belongs (a route answers GET
 * there), else null. Never a path that starts with "//": a Location of "//host" leaves the site.
 */
export function canonicalPath(routes: readonly RouteEntry[], pathname: string): string | null {
  if (pathname.length <= 1 || !pathname.endsWith('/')) return null;
  const bare = pathname.replace(/\/+$/, '');
  if (bare === '' || bare.startsWith('//')) return null;
  return allowedMethods(routes, bare).includes('GET') ? bare : null;
}

/** `routes`: the app's routes, read per request (they are all registered by then). */
export function canonicalPaths(routes: () => readonly RouteEntry[]) {
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const url = new URL(c.req.url);
    const guarded = isTokenPath(url.pathname);
    if (guarded) {
      const refused = await refuse(c);
      if (refused) return refused;
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      const target = canonicalPath(routes(), url.pathname);
      if (target !== null) {
        if (guarded) c.header('Cache-Control', 'no-store');
        return c.redirect(`${target}${url.search}`, 301);
      }
    }
    await next();
  });
}
