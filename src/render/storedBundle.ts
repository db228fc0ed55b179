// The pre-rendered bundle as stored in KV (the `rendered` value, format 2): a small header, the
// bundle's metadata as JSON, then the five bodies as UTF-8 bytes end to end and the pieces' JSON.
//
//   "SWRB" | u32 format (2) | u32 meta length | meta (UTF-8 JSON) | payload: rss atom json html api pieces
//
// The meta holds what a request needs besides its body (settings key, base, each body's ETag,
// Last-Modified, byte offset and length in the payload, and where in it the base stands when it is
// a placeholder for the request's origin) and where the pieces are. A request parses the meta and
// serves its own body's bytes, with the request's origin spliced in at those places: it decodes no
// body (a body of news text decodes to a two-byte string, slow to search and to encode again) and
// never touches the other bodies nor the pieces. A run copies the pieces of unchanged stories as
// the bytes they were stored as (StoredBundle.piece: whole UTF-8, the placeholder's places found in
// them), and parses the pieces' JSON when it asks for them.
//
// Values of format 1 (the bundle as one JSON document, first byte "{") are still read, so a deploy
// serves the bundle an older version stored until the next run rewrites it.
//
// A value that does not hold together (no magic, lengths or offsets past its end, meta that is not
// JSON or lacks a field) is refused: `StoredBundle.read` throws, store/rendered.ts reads it as no bundle,
// requests render from the stories and the next run renders every piece and writes a good value.
import type { PrerenderedFormat, RenderedBundle, RenderedPieces } from '../model';

const MAGIC = [0x53, 0x57, 0x52, 0x42]; // "SWRB"
const STORED_BUNDLE_FORMAT = 2;
const HEADER_BYTES = 12;
const OPEN_BRACE = 0x7b; // a format 1 value is a JSON object

/** The formats in the order their bodies are laid out. */
export const BUNDLE_FORMATS: readonly PrerenderedFormat[] = ['rss', 'atom', 'json', 'html', 'api'];

/** Where a run of bytes is in the payload. */
interface Span {
  offset: number;
  bytes: number;
}

interface StoredMeta {
  generated: string;
  settingsKey: string;
  base: string;
  baseFromRequest: boolean;
  views: Record<PrerenderedFormat, Span & { etag: string; lastModified: string; swaps: number[] }>;
  /** Absent when the bundle has no pieces. */
  pieces: Span | null;
}

/** Bodies as they are stored: their UTF-8 bytes end to end, and per body where it is and where the base stands in it. */
export interface EncodedBodies {
  payload: Uint8Array;
  /** In the order the bodies were given; `swaps` are byte offsets into the body, ascending (empty when the base is not swapped). */
  spans: (Span & { swaps: number[] })[];
}

/** A stored view's validators. */
export interface StoredValidators {
  etag: string;
  lastModified: string;
}

/** Where a bundle's bodies come from: the payload's bytes (format 2) or the strings of a JSON document (format 1). */
type Bodies =
  | { kind: 'bytes'; payload: Uint8Array; views: StoredMeta['views']; pieces: Span | null }
  | { kind: 'document'; document: RenderedBundle };

/** A bundle read back: its metadata at once, each body and the pieces only when asked for. */
export class StoredBundle {
  private readonly texts = new Map<PrerenderedFormat, string | null>();
  private readonly encodedBodies = new Map<PrerenderedFormat, Uint8Array | null>();
  private basePattern: BytePattern | undefined;
  private piecesRead: RenderedPieces | null | undefined;

  private constructor(
    readonly generated: string,
    readonly settingsKey: string,
    readonly base: string,
    readonly baseFromRequest: boolean,
    private readonly bodies: Bodies,
  ) {}

  /** A bundle stored as one JSON document (format 1). */
  static fromDocument(document: RenderedBundle): StoredBundle {
    const { generated, settingsKey, base, baseFromRequest } = document;
    return new StoredBundle(generated, settingsKey, base, baseFromRequest, { kind: 'document', document });
  }

  /** The format's ETag and Last-Modified, or null when the bundle has no such view. */
  validators(format: PrerenderedFormat): StoredValidators | null {
    if (this.bodies.kind === 'bytes') {
      const { etag, lastModified } = this.bodies.views[format];
      return { etag, lastModified };
    }
    const view = this.bodies.document.views[format];
    return view && typeof view.body === 'string' && typeof view.etag === 'string' && typeof view.lastModified === 'string' ? { etag: view.etag, lastModified: view.lastModified } : null;
  }

  /** The body as stored, to serve as it is: its bytes (a view into the value) or, in a format 1 value, its text. */
  stored(format: PrerenderedFormat): Uint8Array | string | null {
    if (this.bodies.kind === 'document') return this.validators(format) ? this.bodies.document.views[format].body : null;
    const { offset, bytes } = this.bodies.views[format];
    return this.bodies.payload.subarray(offset, offset + bytes);
  }

  /**
   * The body as served at `origin` (the base swapped for it), or null when the places the meta
   * gives for the base do not hold it. In a format 2 value the origin's bytes are spliced in at
   * those places: the body is not decoded.
   */
  atOrigin(format: PrerenderedFormat, origin: string): Uint8Array | string | null {
    if (this.bodies.kind === 'document') {
      const text = this.stored(format) as string | null;
      return text === null ? null : text.replaceAll(this.base, origin);
    }
    const body = this.stored(format) as Uint8Array;
    const { swaps } = this.bodies.views[format];
    const base = new TextEncoder().encode(this.base);
    const at = new TextEncoder().encode(origin);
    let end = 0;
    for (const swap of swaps) {
      if (!Number.isInteger(swap) || swap < end || swap + base.length > body.length) return null;
      for (let i = 0; i < base.length; i++) if (body[swap + i] !== base[i]) return null;
      end = swap + base.length;
    }
    const out = new Uint8Array(body.length + swaps.length * (at.length - base.length));
    let from = 0;
    let to = 0;
    for (const swap of swaps) {
      out.set(body.subarray(from, swap), to);
      to += swap - from;
      out.set(at, to);
      to += at.length;
      from = swap + base.length;
    }
    out.set(body.subarray(from), to);
    return out;
  }

  /**
   * Bytes `start`..`end` of the body as stored, and where the base stands in them: a piece to copy
   * into a new body (render/publish.ts). Null when they are not a run of whole characters inside
   * the body (the pieces were damaged). The places of the placeholder origin are found in the
   * piece itself, not taken from the meta: a copied place the new value did not list would be
   * served as the placeholder. A format 1 value's body is encoded on first ask.
   */
  piece(format: PrerenderedFormat, start: number, end: number): CopiedBytes | null {
    const body = this.bodyBytes(format);
    if (!body || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > body.length) return null;
    // A UTF-8 character does not start with a continuation byte (10xxxxxx): the cuts fall between characters.
    if ((start < body.length && (body[start]! & 0xc0) === 0x80) || (end < body.length && (body[end]! & 0xc0) === 0x80)) return null;
    const bytes = body.subarray(start, end);
    if (!isUtf8(bytes)) return null;
    if (!this.baseFromRequest) return { bytes, swaps: [] };
    // Nor may a cut fall inside a place of the placeholder (it would be copied half, and served so).
    const base = (this.basePattern ??= new BytePattern(new TextEncoder().encode(this.base)));
    const length = this.base.length; // ASCII: as many bytes as characters
    const near = (at: number) => base.placesIn(body.subarray(Math.max(0, at - length + 1), Math.min(body.length, at + length - 1)));
    if (near(start).length > 0 || near(end).length > 0) return null;
    return { bytes, swaps: base.placesIn(bytes) };
  }

  /** The body's bytes (in a format 1 value, its text encoded once). */
  private bodyBytes(format: PrerenderedFormat): Uint8Array | null {
    if (this.bodies.kind === 'bytes') return this.stored(format) as Uint8Array;
    let encoded = this.encodedBodies.get(format);
    if (encoded === undefined) {
      const text = this.stored(format) as string | null;
      encoded = text === null ? null : new TextEncoder().encode(text);
      this.encodedBodies.set(format, encoded);
    }
    return encoded;
  }

  /** The body as text, decoded once on first ask (for tests and tools); null when it is not UTF-8. */
  body(format: PrerenderedFormat): string | null {
    let text = this.texts.get(format);
    if (text === undefined) {
      const stored = this.stored(format);
      text = typeof stored === 'string' || stored === null ? stored : decodeUtf8(stored);
      this.texts.set(format, text);
    }
    return text;
  }

  /** The pieces the bodies hold (render/publish.ts), parsed on first ask; null when there are none or they cannot be read. */
  pieces(): RenderedPieces | null {
    if (this.piecesRead !== undefined) return this.piecesRead;
    let pieces: unknown = null;
    if (this.bodies.kind === 'document') {
      pieces = this.bodies.document.pieces ?? null;
    } else if (this.bodies.pieces) {
      const { offset, bytes } = this.bodies.pieces;
      const text = decodeUtf8(this.bodies.payload.subarray(offset, offset + bytes));
      try {
        pieces = text === null ? null : JSON.parse(text);
      } catch {
        pieces = null;
      }
    }
    const usable = typeof pieces === 'object' && pieces !== null && Array.isArray((pieces as RenderedPieces).stories);
    return (this.piecesRead = usable ? (pieces as RenderedPieces) : null);
  }

  /** Reads a stored value of either format. Throws "rendered: ..." when it does not hold together. */
  static read(bytes: Uint8Array): StoredBundle {
    if (bytes.length > 0 && bytes[0] === OPEN_BRACE) return documentValue(bytes);
    const damaged = (why: string) => new Error(`rendered: the stored value is truncated or corrupt (${why})`);
    if (!isStoredBundle(bytes)) throw damaged('no header');
    const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const format = header.getUint32(4, true);
    if (format !== STORED_BUNDLE_FORMAT) throw new Error(`rendered: stored format ${format} is not one this version reads (${STORED_BUNDLE_FORMAT}; a newer version wrote it?)`);
    const metaLength = header.getUint32(8, true);
    if (HEADER_BYTES + metaLength > bytes.length) throw damaged('meta cut short');
    const metaText = decodeUtf8(bytes.subarray(HEADER_BYTES, HEADER_BYTES + metaLength));
    let meta: StoredMeta;
    try {
      meta = JSON.parse(metaText ?? '') as StoredMeta;
    } catch (err) {
      throw damaged(`meta: ${(err as Error).message}`);
    }
    const payload = bytes.subarray(HEADER_BYTES + metaLength);
    const within = (span: unknown): span is Span => {
      const { offset, bytes: length } = (span ?? {}) as Partial<Span>;
      return Number.isInteger(offset) && Number.isInteger(length) && offset! >= 0 && length! >= 0 && offset! + length! <= payload.length;
    };
    if (typeof meta !== 'object' || meta === null || typeof meta.generated !== 'string' || typeof meta.settingsKey !== 'string' ||
      typeof meta.base !== 'string' || meta.base === '' || typeof meta.baseFromRequest !== 'boolean' || typeof meta.views !== 'object' || meta.views === null) {
      throw damaged('meta fields');
    }
    for (const format of BUNDLE_FORMATS) {
      const view = meta.views[format];
      if (!within(view) || typeof view.etag !== 'string' || typeof view.lastModified !== 'string' || !Array.isArray(view.swaps)) throw damaged(`the ${format} body is not where the meta puts it`);
    }
    if (meta.pieces !== null && !within(meta.pieces)) throw damaged('the pieces are not where the meta puts them');
    return new StoredBundle(meta.generated, meta.settingsKey, meta.base, meta.baseFromRequest, { kind: 'bytes', payload, views: meta.views, pieces: meta.pieces });
  }
}

export function isStoredBundle(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && MAGIC.every((b, i) => bytes[i] === b);
}

/** Part of a body: text to encode, or bytes of a stored body copied as they are (with where the base stands in them). */
export type BodyChunk = string | CopiedBytes;

export interface CopiedBytes {
  bytes: Uint8Array;
  /** Byte offsets of the base in `bytes`, ascending. */
  swaps: readonly number[];
}

/** The bodies as UTF-8, end to end (encodeChunks), each body one text. */
export function encodeBodies(bodies: readonly string[], base: string | null): EncodedBodies {
  const { payload, spans } = encodeChunks(bodies.map((body) => [body]), base);
  return { payload, spans };
}

/**
 * The bodies as UTF-8, end to end, and where each is and where `base` (when not null: the
 * placeholder requests swap for their origin) stands in it; and where each chunk starts in its
 * body. Text chunks are encoded, copied chunks set as they are (their swaps carried over): the
 * base is ASCII and stands inside one chunk, so no character or base straddles a cut.
 */
export function encodeChunks(bodies: readonly (readonly BodyChunk[])[], base: string | null): EncodedBodies & { chunkStarts: number[][] } {
  const encoder = new TextEncoder();
  // A UTF-16 code unit takes at most 3 bytes of UTF-8, so one buffer holds every body, and
  // encodeInto fills it without allocating per chunk (encode costs about twice as much on long text).
  let room = 0;
  for (const chunks of bodies) for (const chunk of chunks) room += typeof chunk === 'string' ? 3 * chunk.length : chunk.bytes.length;
  const scratch = new Uint8Array(room);
  const baseBytes = base ? encoder.encode(base) : null;
  const spans: EncodedBodies['spans'] = [];
  const chunkStarts: number[][] = [];
  let at = 0;
  for (const chunks of bodies) {
    const start = at;
    const swaps: number[] = [];
    const starts: number[] = [];
    for (const chunk of chunks) {
      starts.push(at - start);
      if (typeof chunk !== 'string') {
        if (baseBytes) for (const swap of chunk.swaps) swaps.push(at - start + swap);
        scratch.set(chunk.bytes, at);
        at += chunk.bytes.length;
        continue;
      }
      const segments = baseBytes ? chunk.split(base!) : [chunk];
      segments.forEach((segment, i) => {
        if (i > 0) {
          swaps.push(at - start);
          scratch.set(baseBytes!, at);
          at += baseBytes!.length;
        }
        at += encoder.encodeInto(segment, scratch.subarray(at)).written;
      });
    }
    spans.push({ offset: start, bytes: at - start, swaps });
    chunkStarts.push(starts);
  }
  return { payload: scratch.subarray(0, at), spans, chunkStarts };
}

/**
 * The value to store. `encoded` are its bodies already encoded (encodeBodies, in BUNDLE_FORMATS
 * order: the pre-render has them for their ETags); when absent they are encoded here.
 */
export function encodeBundle(bundle: RenderedBundle, encoded?: EncodedBodies): Uint8Array {
  const { payload, spans } = encoded ?? encodeBodies(BUNDLE_FORMATS.map((format) => bundle.views[format].body), bundle.baseFromRequest ? bundle.base : null);
  const encoder = new TextEncoder();
  const views = {} as StoredMeta['views'];
  BUNDLE_FORMATS.forEach((format, i) => {
    const { etag, lastModified } = bundle.views[format];
    views[format] = { etag, lastModified, ...spans[i]! };
  });
  const piecesBytes = bundle.pieces ? encoder.encode(JSON.stringify(bundle.pieces)) : null;
  const pieces = piecesBytes ? { offset: payload.length, bytes: piecesBytes.length } : null;
  const { generated, settingsKey, base, baseFromRequest } = bundle;
  const meta = encoder.encode(JSON.stringify({ generated, settingsKey, base, baseFromRequest, views, pieces } satisfies StoredMeta));
  const out = new Uint8Array(HEADER_BYTES + meta.length + payload.length + (piecesBytes?.length ?? 0));
  out.set(MAGIC);
  const header = new DataView(out.buffer);
  header.setUint32(4, STORED_BUNDLE_FORMAT, true);
  header.setUint32(8, meta.length, true);
  out.set(meta, HEADER_BYTES);
  out.set(payload, HEADER_BYTES + meta.length);
  if (piecesBytes) out.set(piecesBytes, HEADER_BYTES + meta.length + payload.length);
  return out;
}

/** A value of format 1: the bundle as one JSON document. */
function documentValue(bytes: Uint8Array): StoredBundle {
  let document: RenderedBundle;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes)) as RenderedBundle;
  } catch (err) {
    throw new Error(`rendered: the stored value is neither format 2 nor JSON (${(err as Error).message})`);
  }
  if (typeof document !== 'object' || document === null || document.version !== 1 || typeof document.views !== 'object' || document.views === null ||
    typeof document.settingsKey !== 'string' || typeof document.base !== 'string' || document.base === '') {
    throw new Error('rendered: the stored JSON value is not a bundle of version 1');
  }
  return StoredBundle.fromDocument(document);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text, or null when they are not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Whether the bytes are well-formed UTF-8 (no overlong form, no surrogate, nothing past U+10FFFF),
 * checked without decoding them: a copied piece is the bytes of a stored body, and a value damaged
 * inside a body must not carry its damage into the next one.
 */
export function isUtf8(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      else if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      else if (b === 0xf4) high = 0x8f;
    } else return false;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return false;
    for (let k = 2; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

/**
 * A byte string to find, every place of it, ascending (places cannot overlap: it is a URL).
 * Boyer–Moore–Horspool: the placeholder is some 50 bytes long, so most steps skip far.
 */
export class BytePattern {
  private readonly skip = new Uint8Array(256);

  constructor(private readonly needle: Uint8Array) {
    const n = needle.length;
    this.skip.fill(Math.max(1, Math.min(n, 255)));
    for (let k = 0; k < n - 1; k++) this.skip[needle[k]!] = Math.min(n - 1 - k, 255);
  }

  placesIn(haystack: Uint8Array): number[] {
    const { needle, skip } = this;
    const places: number[] = [];
    const n = needle.length;
    if (n === 0) return places;
    const lastByte = needle[n - 1]!;
    for (let i = 0; i + n <= haystack.length;) {
      const tail = haystack[i + n - 1]!;
      if (tail === lastByte) {
        let k = n - 2;
        while (k >= 0 && haystack[i + k] === needle[k]) k--;
        if (k < 0) {
          places.push(i);
          i += n;
          continue;
        }
      }
      i += skip[tail]!;
    }
    return places;
  }
}
