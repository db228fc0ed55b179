/// <reference types="node" />
// Parse CLI: runs the Worker's own parser on files.
//   npm run --silent parse -- FILE [--url DOCUMENT_URL] [--content-type HEADER]
//   npm run --silent parse -- --batch    (JSON Lines {"path", "url"?, "contentType"?} on stdin)
//   npm run --silent parse -- --help
// Prints one JSON result per document; unreadable input gives {"path", "error"}.
import { readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MAX_DOCUMENT_BYTES, parseFeed } from '../src/parse';

const USAGE = `usage: npm run --silent parse -- FILE [--url URL] [--content-type HEADER]
       npm run --silent parse -- --batch
       npm run --silent parse -- --help

Runs the Worker's feed parser (src/parse) on files and prints what the feed says as JSON.
  FILE                   the document (RSS, RDF, Atom or JSON Feed), as fetched bytes
  --url URL              the URL it was fetched from: base for relative links
  --content-type HEADER  the HTTP Content-Type it was served with (for its charset)
  --batch                read JSON Lines {"path", "url"?, "contentType"?} on stdin and print
                         one JSON line per request, in order: the result, or {"path", "error"}
Exit status (single file): 0 parsed, 1 the document was refused (error printed as JSON), 2 usage.
`;

interface Request {
  path: string;
  url?: string | null;
  contentType?: string | null;
}

function parseOne(request: Request): object {
  try {
    // Refused before reading, so a huge file costs no memory.
    if (statSync(request.path).size > MAX_DOCUMENT_BYTES) throw new Error(`parse: document too large (over ${MAX_DOCUMENT_BYTES} bytes)`);
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
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  const result = parseOne(request);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if ('error' in result) process.exitCode = 1;
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) process.stdout.write(USAGE);
else if (args.includes('--batch')) await batch();
else single(args);
