// Request bodies for the admin and push APIs: size cap (413), media type (415), syntax (400)
// and schema (422), each refused with a JSON {error} that names the stage and the problem.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { readSettings } from '../config';

// zod/mini keeps the bundle small (the classic API is not tree-shakable); it needs its messages loaded.
z.config(en());

/** Refuses bodies over MAX_PUSH_BYTES with 413, whether or not Content-Length is sent. */
export function limitBody(stage: string): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const maxSize = readSettings(c.env).maxPushBytes;
    const limit = bodyLimit({
      maxSize,
      onError: (ctx) => ctx.json({ error: `${stage}: request body larger than ${maxSize} bytes (MAX_PUSH_BYTES)` }, 413),
    });
    return limit(c, next);
  };
}

/** The bare media type of the request, lower-cased ("" when absent). */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export function requireMediaType(c: Context, stage: string, accepted: readonly string[]): void {
  const type = mediaType(c);
  if (!accepted.includes(type)) {
    throw fail(415, `${stage}: Content-Type must be ${accepted.join(', ')}${type ? `, not ${type}` : ' (none given)'}`);
  }
}

/** A JSON body checked against `schema`. */
export async function readJson<T extends z.ZodMiniType>(c: Context, stage: string, schema: T): Promise<z.infer<T>> {
  requireMediaType(c, stage, ['application/json']);
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (err) {
    throw fail(400, `${stage}: body is not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalid(stage, parsed.error);
  return parsed.data;
}

/** A 422 listing every schema problem with its path, e.g. "articles[2].url: Invalid URL". */
export function invalid(stage: string, error: z.core.$ZodError): HTTPException {
  const issues = error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const first = issues[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid';
  return fail(422, `${stage}: ${summary}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, { issues });
}

/** An HTTP error whose response is the JSON {error, ...extra}. */
export function fail(status: 400 | 403 | 404 | 409 | 413 | 415 | 422 | 503, error: string, extra: Record<string, unknown> = {}): HTTPException {
  const res = new Response(JSON.stringify({ error, ...extra }), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
  return new HTTPException(status, { message: error, res });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}
