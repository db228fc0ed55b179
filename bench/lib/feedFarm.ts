/// <reference types="node" />
// The fan-out bench's loopback farm, run as a child process (bench/fanout.ts forks it) so that its
// CPU is not counted as the Worker's: N feeds on 127.0.0.1 at a free port, each answering after
// its latency, with an ETag (304 when If-None-Match matches), the tenth that is unhealthy
// misbehaving as its plan says (bench/lib/farmFeeds.ts). The parent tells it over IPC which
// feeds gained items ({type: 'heads'}); it answers {type: 'ready', port} once listening.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { feedDocument, feedPlan, firstHead, type FeedPlan } from './farmFeeds';

export interface FarmOptions {
  feeds: number;
  /** How long a slow feed keeps the client waiting (longer than the bench's FETCH_TIMEOUT_MS). */
  slowMs: number;
  /** A body longer than this is sent by an oversize feed (the bench's MAX_FEED_BYTES). */
  maxFeedBytes: number;
  /** When every feed's first document was published (ms since the epoch). */
  startedAt: number;
}

export type FarmRequest = { type: 'heads'; at: number; heads: [index: number, head: number][] } | { type: 'stop' };
export type FarmReply = { type: 'ready'; port: number } | { type: 'heads-set'; count: number } | { type: 'counts'; counts: Record<string, number> };

function serve(options: FarmOptions): void {
  const plans: FeedPlan[] = Array.from({ length: options.feeds }, (_, i) => feedPlan(i));
  const heads = plans.map(firstHead);
  const headAt = plans.map(() => options.startedAt);
  const counts: Record<string, number> = {};
  const count = (what: string) => void (counts[what] = (counts[what] ?? 0) + 1);
  const oversize = Buffer.alloc(64 * 1024, 'x');

  const answer = (req: IncomingMessage, res: ServerResponse, plan: FeedPlan) => {
    const url = new URL(req.url ?? '/', 'http://farm');
    switch (plan.hostility) {
      case 'slow':
        return send(res, 200, 'application/rss+xml', '<rss version="2.0"><channel><title>late</title></channel></rss>');
      case 'http500':
        return send(res, 500, 'text/plain', 'internal error');
      case 'http503':
        return send(res, 503, 'text/plain', 'unavailable');
      case 'http429':
        res.setHeader('retry-after', '3600');
        return send(res, 429, 'text/plain', 'slow down');
      case 'garbage': {
        const bytes = Buffer.alloc(20_000);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + plan.index) & 0xff;
        return send(res, 200, 'application/rss+xml', bytes);
      }
      case 'html':
        return send(res, 200, 'text/html', `<!doctype html><html><head><title>Outlet ${plan.index}</title></head><body><h1>We moved</h1><p>${'Lorem ipsum. '.repeat(500)}</p></body></html>`);
      case 'oversize': {
        // Chunked, no Content-Length: the client must stop reading on its own.
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        let sent = 0;
        const more = () => {
          while (sent <= options.maxFeedBytes) {
            sent += oversize.length;
            if (!res.write(oversize)) return void res.once('drain', more);
          }
          res.end();
        };
        res.on('error', () => {});
        return more();
      }
      case 'redirectLoop':
        res.setHeader('location', url.searchParams.has('again') ? url.pathname : `${url.pathname}?again=1`);
        return send(res, 302, 'text/plain', '');
      case 'reset':
        return void req.socket.destroy();
      default: {
        const etag = `"f${plan.index}-h${heads[plan.index]}"`;
        if (req.headers['if-none-match'] === etag) {
          count('304');
          res.writeHead(304, { etag });
          return void res.end();
        }
        count('200');
        const { body, contentType } = feedDocument(plan, heads[plan.index]!, new Date(headAt[plan.index]!));
        res.setHeader('etag', etag);
        return send(res, 200, contentType, body);
      }
    }
  };

  const server = createServer((req, res) => {
    count('requests');
    const match = /^\/f\/(\d+)$/.exec(new URL(req.url ?? '/', 'http://farm').pathname);
    const plan = match ? plans[Number(match[1])] : undefined;
    if (!plan) return send(res, 404, 'text/plain', 'no such feed');
    if (plan.hostility) count(plan.hostility);
    const delay = plan.hostility === 'slow' ? options.slowMs : plan.latencyMs;
    const timer = setTimeout(() => answer(req, res, plan), delay);
    res.on('close', () => clearTimeout(timer));
  });
  server.keepAliveTimeout = 60_000;
  server.on('clientError', (_err, socket) => socket.destroy());
  server.listen(0, '127.0.0.1', () => {
    process.send!({ type: 'ready', port: (server.address() as AddressInfo).port } satisfies FarmReply);
  });

  process.on('message', (message: FarmRequest) => {
    if (message.type === 'stop') {
      process.send!({ type: 'counts', counts } satisfies FarmReply, () => process.exit(0));
      return;
    }
    for (const [index, head] of message.heads) {
      heads[index] = head;
      headAt[index] = message.at;
    }
    process.send!({ type: 'heads-set', count: message.heads.length } satisfies FarmReply);
  });
  process.on('disconnect', () => process.exit(0));
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

if (process.send) serve(JSON.parse(process.argv[2] ?? '{}') as FarmOptions);
