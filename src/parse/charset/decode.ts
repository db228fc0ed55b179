// Bytes to text. Charset precedence, as XML-on-HTTP practice has it: byte-order mark, then the
// HTTP Content-Type charset, then the XML declaration, then the RFC 3023 default for text/*
// (us-ascii), then UTF-8. Declarations are often wrong, so each choice is checked against the
// bytes and a better-fitting one is taken (and the document marked not well-formed). Declared
// UTF-8 with a few invalid bytes stays UTF-8, with U+FFFD for each bad sequence, as browsers
// read it: only what looks like a legacy-charset document labelled UTF-8 is re-guessed.
import { FeedParseError } from '../errors';
import { guessCharset } from './guessCharset';

export interface DecodedText {
  text: string;
  /** Lower-case label of the charset used to decode, as declared (e.g. 'iso-8859-1', 'windows_1250'). */
  encoding: string;
  /** False when a declaration had to be overridden to read the bytes. */
  trusted: boolean;
}

export function decodeBytes(bytes: Uint8Array, contentType: string | null | undefined): DecodedText {
  const bom = sniffBom(bytes);
  if (bom) {
    const body = bytes.subarray(bom.length);
    // A UTF-8 BOM is the strongest declaration there is: bad bytes become U+FFFD, never a re-guess.
    const strict = bom.encoding === 'utf-8' ? tryUtf8(body) : null;
    if (strict !== null) return { text: strict, encoding: bom.encoding, trusted: true };
    return { text: decodeWith(bom.encoding, body), encoding: bom.encoding, trusted: bom.encoding !== 'utf-8' };
  }

  const wide = sniffWideWithoutBom(bytes);
  if (wide) return { text: decodeWith(wide, bytes), encoding: wide, trusted: true };

  const media = parseContentType(contentType);
  const declared = declaredEncoding(bytes);
  const candidates: { label: string; why: 'http' | 'xml' | 'default' }[] = [];
  if (media.charset) candidates.push({ label: media.charset, why: 'http' });
  if (declared) candidates.push({ label: declared, why: 'xml' });
  if (!media.charset && media.type?.startsWith('text/') && isAscii(bytes)) {
    // RFC 3023: text/* without charset is us-ascii. Only honoured when it cannot garble the text.
    return { text: decodeWith('us-ascii', bytes), encoding: 'us-ascii', trusted: true };
  }

  const utf8 = tryUtf8(bytes);
  let trusted = !(media.type?.startsWith('text/') && !media.charset && !isAscii(bytes));
  let declaredUtf8: string | null = null; // a UTF-8 declaration the bytes do not fully honour
  for (const candidate of candidates) {
    const label = supportedLabel(candidate.label);
    if (!label) {
      trusted = false;
      continue;
    }
    if (isUtf8Label(label)) {
      if (utf8 !== null) return { text: utf8, encoding: candidate.label, trusted };
      declaredUtf8 ??= candidate.label;
      trusted = false;
      continue;
    }
    // A legacy single-byte claim over bytes that are valid, non-ASCII UTF-8 is almost always a
    // server default that was never updated; UTF-8 reads them correctly.
    if (candidate.why === 'http' && utf8 !== null && !isAscii(bytes) && (!declared || isUtf8Label(declared))) {
      return { text: utf8, encoding: 'utf-8', trusted: false };
    }
    return { text: decodeWith(label, bytes), encoding: candidate.label, trusted };
  }
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', trusted: trusted && candidates.length === 0 };
  // Declared UTF-8, or nothing declared at all (XML's default is UTF-8), with a few bad bytes.
  const slipped = declaredUtf8 !== null ? isUtf8WithSlips(bytes, true) : candidates.length === 0 && isUtf8WithSlips(bytes, false);
  if (slipped) return { text: decodeWith('utf-8', bytes), encoding: declaredUtf8 ?? 'utf-8', trusted: false };
  // Not UTF-8 and nothing usable declared: a statistical guess, else windows-1252, which maps
  // every byte, so text survives.
  const guess = guessCharset(bytes, isDecodable);
  if (guess) return { text: decodeWith(guess, bytes), encoding: guess, trusted: false };
  return { text: decodeWith('windows-1252', bytes), encoding: 'windows-1252', trusted: false };
}

export interface MediaType {
  type: string | null;
  charset: string | null;
}

export function parseContentType(header: string | null | undefined): MediaType {
  if (!header) return { type: null, charset: null };
  const [type, ...params] = header.split(';');
  let charset: string | null = null;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const value = param.slice(eq + 1).trim().replace(/^["']|["']$/g, '').trim();
    if (value) charset = value.toLowerCase();
  }
  return { type: type?.trim().toLowerCase() || null, charset };
}

function sniffBom(bytes: Uint8Array): { encoding: string; length: number } | null {
  const [a, b, c, d] = bytes;
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return { encoding: 'utf-32le', length: 4 };
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return null;
}

/** UTF-16/32 without a BOM shows as zero bytes around the first '<' (XML 1.0 appendix F). */
function sniffWideWithoutBom(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if (a === 0x00 && b === 0x00 && c === 0x00 && d === 0x3c) return 'utf-32be';
  if (a === 0x3c && b === 0x00 && c === 0x00 && d === 0x00) return 'utf-32le';
  if (a === 0x00 && b === 0x3c) return 'utf-16be';
  if (a === 0x3c && b === 0x00) return 'utf-16le';
  return null;
}

/** The encoding pseudo-attribute of `<?xml ...?>`, read from ASCII-compatible bytes. */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = latin1(bytes.subarray(0, 512));
  const decl = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return decl?.[1]?.toLowerCase() ?? null;
}

/** Looked up with labels from headers and declarations (feed text): a Map, not an object. */
const LABEL_ALIASES: ReadonlyMap<string, string> = new Map(Object.entries({
  'utf8': 'utf-8',
  'mac-cyrillic': 'x-mac-cyrillic',
  'macroman': 'macintosh',
  'mac-roman': 'macintosh',
  'cp936': 'gbk',
  'ms932': 'shift_jis',
  'cp932': 'shift_jis',
  'sjis': 'shift_jis',
  'eucjp': 'euc-jp',
  'euckr': 'euc-kr',
}));

/** A label TextDecoder accepts for `label`, allowing common spelling variants; null if none. */
export function supportedLabel(label: string): string | null {
  const lower = label.trim().toLowerCase();
  if (lower === 'utf-32' || lower === 'utf-32be' || lower === 'utf-32le') return lower;
  const tries = [lower, LABEL_ALIASES.get(lower), lower.replace(/_/g, '-'), lower.replace(/^cp-?(125\d)$/, 'windows-$1')];
  for (const candidate of tries) {
    if (candidate && isDecodable(candidate)) return candidate;
  }
  return null;
}

function isDecodable(label: string): boolean {
  try {
    decoderFor(label);
    return true;
  } catch {
    return false;
  }
}

function isUtf8Label(label: string): boolean {
  return label === 'utf-8' || label === 'utf8' || label === 'unicode-1-1-utf-8';
}

// Decoders are reused across calls (decode() without { stream } keeps no state): creating one
// costs more than decoding a small feed.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decoders = new Map<string, TextDecoder>();

function decoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) decoders.set(label, (decoder = new TextDecoder(label, { fatal: false, ignoreBOM: true })));
  return decoder;
}

function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** Invalid sequences a declared-UTF-8 document may have and still be read as UTF-8 without more valid characters. */
const FEW_SLIPS = 3;

/**
 * Whether bytes that fail strict UTF-8 are still UTF-8 with a few bad sequences (a stray byte,
 * a multi-byte character cut off at a length limit, "\xC3\x28"), as opposed to a legacy-charset
 * document labelled UTF-8. Legacy text shows as accented letters alone (each an invalid
 * sequence) and punctuation bytes 0x80-0xBF alone (windows-1252's quotes and dashes, latin-1's
 * symbols), which UTF-8 never has without a lead byte. So: UTF-8 when the valid non-ASCII
 * characters are at least as many as the invalid sequences, or, when UTF-8 is `declared`, when
 * there are at most FEW_SLIPS invalid sequences and none is such a lone 0x80-0xBF byte (without
 * a declaration, a legacy document with one "é" and no UTF-8 at all is left to the guess).
 */
function isUtf8WithSlips(bytes: Uint8Array, declared: boolean): boolean {
  let valid = 0;
  let invalid = 0;
  let loneContinuations = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) {
      invalid++;
      if (b <= 0xbf) loneContinuations++;
      i++;
      continue;
    }
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, surrogates or
    // code points past U+10FFFF), as TextDecoder checks it.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    let k = 1;
    while (k < length && i + k < bytes.length) {
      const c = bytes[i + k]!;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) break;
      k++;
    }
    if (k === length) valid++;
    else invalid++;
    i += k;
  }
  return valid >= invalid || (declared && invalid <= FEW_SLIPS && loneContinuations === 0);
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

function decodeWith(label: string, bytes: Uint8Array): string {
  if (label === 'utf-32' || label === 'utf-32be') return decodeUtf32(bytes, false);
  if (label === 'utf-32le') return decodeUtf32(bytes, true);
  try {
    return decoderFor(label).decode(bytes);
  } catch (err) {
    throw new FeedParseError(`decode: cannot decode as ${label} (${(err as Error).message})`);
  }
}

/** TextDecoder has no UTF-32; it is rare enough that a plain loop will do. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    chunk.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? cp : 0xfffd);
    if (chunk.length >= 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}
