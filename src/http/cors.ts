// CORS for documents browsers' apps read (JSON API, feeds): public, read-only data.
import { cors } from 'hono/cors';

export const publicCors = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'OPTIONS'],
  allowHeaders: ['If-None-Match', 'If-Modified-Since'],
  exposeHeaders: ['ETag', 'Last-Modified', 'Link'],
  maxAge: 86_400,
});
