// Editors' corrections through the admin API (bearer token): split a source out of a story,
// merge two stories, pin a lead headline; list and revoke them. Each change is one write of the
// `corrections` key, then the default feeds are re-rendered (one write of `rendered`) so every
// view shows it at once. See docs/api.md, "Corrections".
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { requireAdmin } from '../auth';
import { readSettings } from '../config';
import type { StoriesSnapshot } from '../model';
import { fitBundle } from '../render/publish';
import {
  applyCorrections,
  MAX_CORRECTIONS,
  type Correction,
  type CorrectionOutcome,
  type CorrectionsDoc,
} from '../stories/corrections';
import { readCorrections, writeCorrections } from '../store/corrections';
import { writeRendered } from '../store/rendered';
import { DEFAULT_RETRY, retryingKv } from '../store/retry';
import { readStories } from '../store/stories';
import { fail, limitBody, readJson } from './input';

type AppContext = Context<{ Bindings: Env }>;

export const correctionRoutes = new Hono<{ Bindings: Env }>();
correctionRoutes.use('*', requireAdmin, limitBody('corrections'));

const id = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const note = z.optional(z.string().check(z.trim(), z.maxLength(500)));
const newCorrection = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('split'), story: id, article: id, into: z.optional(z.nullable(id)), note }),
  z.strictObject({ type: z.literal('merge'), story: id, absorb: id, note }),
  z.strictObject({
    type: z.literal('lead'),
    story: id,
    article: z.optional(id),
    title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
    note,
  }),
]);
type NewCorrection = z.infer<typeof newCorrection>;

correctionRoutes.get('/', async (c) => {
  const { doc, outcomes } = await load(c);
  return noStore(c.json({ corrections: doc.corrections.map((corr, i) => listed(corr, outcomes[i]!)) }));
});

correctionRoutes.get('/:id', async (c) => {
  const { doc, outcomes } = await load(c);
  const index = indexOf(doc, c.req.param('id'));
  return noStore(c.json({ correction: listed(doc.corrections[index]!, outcomes[index]!) }));
});

correctionRoutes.post('/', async (c) => {
  const input = await readJson(c, 'corrections', newCorrection);
  const { raw, doc, corrected } = await load(c);
  if (doc.corrections.length >= MAX_CORRECTIONS) {
    throw fail(409, `corrections: at most ${MAX_CORRECTIONS} corrections are kept; revoke some first (DELETE /api/admin/corrections/:id)`);
  }
  const correction = checked(input, corrected, new Date().toISOString());
  const next: CorrectionsDoc = { version: 1, corrections: [...doc.corrections, correction] };
  const { outcomes } = await save(c, raw, next);
  c.header('Location', `/api/admin/corrections/${correction.id}`);
  return noStore(c.json({ correction: listed(correction, outcomes.at(-1)!) }, 201));
});

correctionRoutes.delete('/:id', async (c) => {
  const { raw, doc } = await load(c);
  const index = indexOf(doc, c.req.param('id'));
  await save(c, raw, { version: 1, corrections: doc.corrections.filter((_, i) => i !== index) });
  return c.body(null, 204);
});

async function load(c: AppContext) {
  const [raw, doc] = await Promise.all([readStories(c.env.STATE), readCorrections(c.env.STATE)]);
  const { snapshot: corrected, outcomes } = applyCorrections(raw, doc.corrections);
  return { raw, doc, corrected, outcomes: doc.corrections.map((corr, i) => outcomes[i] ?? { id: corr.id, active: true, reason: null }) };
}

/** One write for the list, one for the re-rendered default feeds (both retried on KV's 429). */
async function save(c: AppContext, raw: StoriesSnapshot, doc: CorrectionsDoc) {
  const kv = retryingKv(c.env.STATE, DEFAULT_RETRY);
  await writeCorrections(kv, doc);
  const applied = applyCorrections(raw, doc.corrections);
  if (raw.stories.length > 0) await writeRendered(kv, (await fitBundle(applied.snapshot, readSettings(c.env))).bytes);
  return applied;
}

/** The new correction, with story ids resolved to live stories, or a 404/409 saying why not. */
function checked(input: NewCorrection, corrected: StoriesSnapshot, at: string): Correction {
  const base = { id: crypto.randomUUID().replaceAll('-', '').slice(0, 12), at, note: input.note || null };
  const story = live(corrected, input.story);
  if (input.type === 'merge') {
    const absorb = live(corrected, input.absorb);
    if (absorb.id === story.id) throw fail(409, `corrections: ${input.absorb} and ${input.story} are already one story (${story.id})`);
    return { ...base, type: 'merge', story: story.id, absorb: absorb.id };
  }
  if (input.type === 'split') {
    const source = story.sources.find((s) => s.articleId === input.article);
    if (!source) throw fail(404, `corrections: story ${story.id} has no source with article id "${input.article}" (see "sources[].id" in /stories/${story.id}.json)`);
    if (input.into) {
      const into = live(corrected, input.into);
      if (into.id === story.id) throw fail(409, `corrections: article ${input.article} is already in story ${story.id}`);
      return { ...base, type: 'split', story: story.id, article: input.article, into: into.id };
    }
    if (story.sources.length === 1) throw fail(409, `corrections: article ${input.article} is the only source of story ${story.id}; it is a story of its own already`);
    return { ...base, type: 'split', story: story.id, article: input.article, into: null };
  }
  if ((input.article === undefined) === (input.title === undefined)) {
    throw fail(422, 'corrections: a lead correction takes either "article" (lead with that source\'s headline) or "title" (your headline), not both or neither');
  }
  if (input.article !== undefined && !story.sources.some((s) => s.articleId === input.article)) {
    throw fail(404, `corrections: story ${story.id} has no source with article id "${input.article}"`);
  }
  return { ...base, type: 'lead', story: story.id, article: input.article ?? null, title: input.title ?? null };
}

/** The live story an id names (following merges), or a 404. */
function live(snapshot: StoriesSnapshot, storyId: string) {
  const seen = new Set<string>();
  let current = storyId;
  for (;;) {
    const record = snapshot.stories.find((s) => s.id === current);
    if (record) return record;
    if (!Object.hasOwn(snapshot.aliases, current) || seen.has(current)) break;
    seen.add(current);
    current = snapshot.aliases[current]!;
  }
  throw fail(404, `corrections: no story with id "${storyId}"`);
}

function indexOf(doc: CorrectionsDoc, correctionId: string): number {
  const index = doc.corrections.findIndex((corr) => corr.id === correctionId);
  if (index < 0) throw fail(404, `corrections: no correction with id "${correctionId}"`);
  return index;
}

function listed(correction: Correction, outcome: CorrectionOutcome) {
  return { ...correction, active: outcome.active, reason: outcome.reason };
}

function noStore(res: Response): Response {
  res.headers.set('Cache-Control', 'no-store');
  return res;
}
