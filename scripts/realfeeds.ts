/// <reference types="node" />
// Real-feed agreement: parses every document of a captured real-feed collection with the
// Worker's own parser and compares it, field by field, with feedparser's reading of it
// (feedparser.jsonl in the same folder).
//   npm run --silent realfeeds -- [--dir DIR] [--show FIELD]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ParsedItem } from '../src/model';
import { parseFeed } from '../src/parse';
import { addDocument, emptyAgreement, FIELD_LABELS, FIELDS, percent, type Field, type ReferenceDocument } from './lib/feedAgreement';

const USAGE = `usage: npm run --silent realfeeds -- [--dir DIR] [--show FIELD]

Parses every document of a real-feed collection with src/parse and prints how often it agrees
with feedparser's reading of it (DIR/feedparser.jsonl, paths relative to DIR).
  --dir DIR     the collection's folder (default: ../shared/eval/realfeeds next to the repository)
  --show FIELD  also list the disagreeing entries of FIELD (${FIELDS.join(', ')}), or
                "excluded" for what was set aside because feedparser is known to be wrong
`;

function main(args: string[]): void {
  let dir = resolve(import.meta.dirname, '..', '..', 'shared', 'eval', 'realfeeds');
  let show: Field | 'excluded' | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return void process.stdout.write(USAGE);
    else if (arg === '--dir') dir = resolve(args[++i] ?? '');
    else if (arg === '--show') {
      const field = args[++i] ?? '';
      if (field !== 'excluded' && !(FIELDS as readonly string[]).includes(field)) return fail(`realfeeds: --show takes one of ${FIELDS.join(', ')}, excluded (got "${field}")`);
      show = field as Field | 'excluded';
    } else if (!arg.startsWith('-')) dir = resolve(arg);
    else return fail(`realfeeds: unknown option ${arg}\n${USAGE}`);
  }
  const referencePath = join(dir, 'feedparser.jsonl');
  if (!existsSync(referencePath)) return fail(`realfeeds: no feedparser.jsonl in ${dir} (give the collection's folder with --dir DIR)`);

  const agreement = emptyAgreement();
  let refused = 0;
  for (const line of readFileSync(referencePath, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const reference = JSON.parse(line) as ReferenceDocument;
    const bytes = readFileSync(join(dir, reference.path));
    let items: ParsedItem[] | null = null;
    try {
      items = parseFeed(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).items;
    } catch {
      refused++;
    }
    addDocument(agreement, reference, bytes.toString('latin1'), items);
  }

  const out: string[] = [`${dir}: ${agreement.documents} documents (${refused} refused by our parser), ${agreement.entries} feedparser entries compared (${agreement.droppedEntries} empty nested-item entries dropped)`];
  out.push(`${'field'.padEnd(34)} ${'agree'.padStart(13)} ${'share'.padStart(7)}  set aside (feedparser wrong)`);
  for (const field of FIELDS) {
    const tally = agreement.tallies[field];
    out.push(`${FIELD_LABELS[field].padEnd(34)} ${`${tally.agree}/${tally.total}`.padStart(13)} ${percent(tally).padStart(7)}  ${tally.feedparserWrong || ''}`);
  }
  if (show) {
    const listed = show === 'excluded' ? agreement.excluded : agreement.disagreements.filter((d) => d.field === show);
    out.push('', `${show === 'excluded' ? 'set aside (feedparser wrong)' : `disagreements on ${show}`}: ${listed.length}`);
    for (const d of listed) {
      out.push(`${d.path}${d.entry >= 0 ? ` #${d.entry}` : ''}${show === 'excluded' ? ` [${d.field}]` : ''}`, `  feedparser: ${d.reference}`, `  ours:       ${d.ours}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

function fail(message: string): void {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exitCode = 2;
}

main(process.argv.slice(2));
