// CORS for what in-browser apps read (JSON API, story JSON, feeds): public, read-only data.
import { cors } from 'hono/cors';

export const publicCors = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'OPTIONS'],
  allowHeaders: ['If-None-Match', 'If-Modified-Since'],
  exposeHeaders: ['ETag', 'Last-Modified'],
  maxAge: 86_400,
});
