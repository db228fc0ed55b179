// The filters and page a reader asks for in the query string, validated once.
// Unknown parameters are ignored (readers add cache-busters); bad values of known ones are errors.

export interface ViewQuery {
  /** Only stories reported by at least this many sources. */
  minSources: number;
  /** Stories per page. */
  limit: number;
  /** Only stories updated at or after this instant (ISO 8601), or null. */
  since: string | null;
  /** Words that must all appear in the story's headlines, summary or outlet names, or null. */
  q: string | null;
  /** 1-based page number. */
  page: number;
  /** "new": newest change first; "top": ranked by independent outlets and recency (stories/rank.ts). */
  sort: SortOrder;
}

export type SortOrder = 'new' | 'top';
export const SORT_ORDERS: readonly SortOrder[] = ['new', 'top'];

export const MAX_LIMIT = 500;
const MAX_MIN_SOURCES = 1000;
const MAX_PAGE = 10_000;
const MAX_Q_LENGTH = 200;

export class QueryError extends Error {
  override name = 'QueryError';
  constructor(message: string) {
    super(`filter: ${message}`);
  }
}

/** `sort` is the route's default order: the front page ranks, the feeds keep newest first. */
export function defaultQuery(pageSize: number, sort: SortOrder = 'new'): ViewQuery {
  return { minSources: 1, limit: pageSize, since: null, q: null, page: 1, sort };
}

/** Reads the known parameters; throws QueryError (message starts "filter:") on a bad value. */
export function parseViewQuery(params: URLSearchParams, pageSize: number, defaultSort: SortOrder = 'new'): ViewQuery {
  const query = defaultQuery(pageSize, defaultSort);
  const sort = single(params, 'sort');
  if (sort !== null) {
    const chosen = SORT_ORDERS.find((order) => order === sort.trim().toLowerCase());
    if (!chosen) throw new QueryError(`sort: expected ${SORT_ORDERS.join(' or ')}, got "${shorten(sort)}"`);
    query.sort = chosen;
  }
  const minSources = single(params, 'min_sources');
  if (minSources !== null) query.minSources = wholeNumber('min_sources', minSources, 1, MAX_MIN_SOURCES);
  const limit = single(params, 'limit');
  if (limit !== null) query.limit = wholeNumber('limit', limit, 1, MAX_LIMIT);
  const page = single(params, 'page');
  if (page !== null) query.page = wholeNumber('page', page, 1, MAX_PAGE);
  const since = single(params, 'since');
  if (since !== null) query.since = instant(since);
  const q = single(params, 'q');
  if (q !== null && q.trim() !== '') {
    if (q.length > MAX_Q_LENGTH) throw new QueryError(`q: at most ${MAX_Q_LENGTH} characters`);
    query.q = q.trim().replace(/\s+/g, ' ');
  }
  return query;
}

/** True when the query asks for exactly what render/publish.ts pre-renders. */
export function isDefaultQuery(query: ViewQuery, pageSize: number, defaultSort: SortOrder = 'new'): boolean {
  return query.minSources === 1 && query.limit === pageSize && query.since === null && query.q === null && query.page === 1 &&
    query.sort === defaultSort;
}

/** The query string for `query` at `page`, listing only non-default values, in a fixed order. */
export function querySearch(query: ViewQuery, page: number, pageSize: number, defaultSort: SortOrder = 'new'): string {
  const params = new URLSearchParams();
  if (query.sort !== defaultSort) params.set('sort', query.sort);
  if (query.minSources !== 1) params.set('min_sources', String(query.minSources));
  if (query.limit !== pageSize) params.set('limit', String(query.limit));
  if (query.since !== null) params.set('since', query.since);
  if (query.q !== null) params.set('q', query.q);
  if (page !== 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `?${search}` : '';
}

function single(params: URLSearchParams, name: string): string | null {
  const values = params.getAll(name);
  if (values.length > 1) throw new QueryError(`${name}: given more than once`);
  return values[0] ?? null;
}

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new QueryError(`${name}: expected a whole number from ${min} to ${max}, got "${shorten(raw)}"`);
  }
  return n;
}

/** ISO 8601 date or date-time (a date alone means midnight UTC); a time needs a zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i;

function instant(raw: string): string {
  // An unencoded "+" in a query string arrives as a space: "…T09:00:00 02:00".
  const trimmed = raw.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  const time = ISO_INSTANT.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new QueryError(`since: expected an ISO 8601 date or date-time with zone (e.g. 2026-01-31T09:00:00Z), got "${shorten(raw)}"`);
  }
  return new Date(time).toISOString();
}

function shorten(raw: string): string {
  return raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
}
