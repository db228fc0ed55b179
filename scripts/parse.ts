/// <reference types="node" />
// Parse CLI: runs the Worker's own parser on files.
//   npm run --silent parse -- FILE [--url DOCUMENT_URL] [--content-type HEADER]
//   npm run --silent parse -- --batch    (JSON Lines {"path", "url"?, "contentType"?} on stdin)
// Prints one JSON result per document; unreadable input gives {"path", "error"}.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseFeed } from '../src/parse';

interface Request {
  path: string;
  url?: string | null;
  contentType?: string | null;
}

function parseOne(request: Request): object {
  try {
    const bytes = readFileSync(request.path);
    const parsed = parseFeed(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      url: request.url ?? null,
      contentType: request.contentType ?? null,
    });
    return { path: request.path, ...parsed };
  } catch (err) {
    return { path: request.path, error: err instanceof Error ? err.message : String(err) };
  }
}

async function batch(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let request: Request;
    try {
      request = JSON.parse(line) as Request;
      if (typeof request.path !== 'string') throw new Error('missing "path"');
    } catch (err) {
      process.stdout.write(JSON.stringify({ path: null, error: `batch: bad request line (${(err as Error).message})` }) + '\n');
      continue;
    }
    process.stdout.write(JSON.stringify(parseOne(request)) + '\n');
  }
}

function single(args: string[]): void {
  const request: Request = { path: '' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--url') request.url = args[++i] ?? null;
    else if (arg === '--content-type') request.contentType = args[++i] ?? null;
    else request.path = arg;
  }
  if (!request.path) {
    process.stderr.write('usage: npm run --silent parse -- FILE [--url URL] [--content-type HEADER] | --batch\n');
    process.exitCode = 2;
    return;
  }
  const result = parseOne(request);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if ('error' in result) process.exitCode = 1;
}

const args = process.argv.slice(2);
if (args.includes('--batch')) await batch();
else single(args);
