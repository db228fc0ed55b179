// Bearer-token guard for the admin and push APIs. The token is the ADMIN_TOKEN secret; without
// it those APIs are off (503, saying how to turn them on). Tokens are compared as SHA-256
// digests with crypto.subtle.timingSafeEqual: equal lengths, and no early exit to time.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { readSettings } from './config';

export interface AuthRefusal {
  status: 401 | 403 | 503;
  error: string;
  /** WWW-Authenticate challenge (RFC 6750) for 401 and 403. */
  challenge: string | null;
}

const REALM = 'Bearer realm="storywire"';
/** "Bearer" and one token of visible ASCII (a superset of RFC 6750's b64token, so any sane secret works). */
const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

/** Null when the Authorization header carries the expected token; otherwise why not. */
export async function checkBearer(header: string | undefined | null, expected: string | null): Promise<AuthRefusal | null> {
  if (expected === null) {
    return { status: 503, error: 'admin: the admin and push APIs are off; set the ADMIN_TOKEN secret to turn them on', challenge: null };
  }
  if (!header) return { status: 401, error: 'auth: missing Authorization header (expected "Bearer <token>")', challenge: REALM };
  const match = BEARER.exec(header);
  if (!match) {
    return { status: 401, error: 'auth: malformed Authorization header (expected "Bearer <token>")', challenge: `${REALM}, error="invalid_request"` };
  }
  if (!(await sameSecret(match[1]!, expected))) {
    return { status: 403, error: 'auth: wrong token', challenge: `${REALM}, error="invalid_token"` };
  }
  return null;
}

export const requireAdmin = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  const refused = await refuse(c);
  if (refused) return refused;
  await next();
});

/** The answer to a request without the right token (401, 403, or 503 when the APIs are off), or null when it has it. */
export async function refuse(c: Context<{ Bindings: Env }>): Promise<Response | null> {
  const refusal = await checkBearer(c.req.header('authorization'), readSettings(c.env).adminToken);
  if (!refusal) return null;
  if (refusal.challenge) c.header('WWW-Authenticate', refusal.challenge);
  c.header('Cache-Control', 'no-store');
  return c.json({ error: refusal.error }, refusal.status);
}

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
