// XML tokeniser for feeds: one forward pass over the text with indexOf jumps between markup,
// reporting tags, text and CDATA to a sink. It is lenient on purpose (real feeds are often
// broken): anything that is not well-formed is reported through `malformed()` and read the way
// a browser-like reader would, never thrown. Comments, processing instructions and stray
// declarations are skipped. References are not expanded here (the sink does it).

export interface XmlSink {
  /**
   * Attribute values are raw (references not expanded), the table fresh (the sink may keep it);
   * `names` are its keys in order, so that the sink need not enumerate it (enumerating a
   * prototype-less object is slow in V8); `selfClosing` for `<x/>`.
   */
  openTag(qname: string, attrs: Record<string, string> | null, names: readonly string[], selfClosing: boolean): void;
  closeTag(qname: string): void;
  /** Raw character data between markup (references not expanded). */
  text(raw: string): void;
  cdata(text: string): void;
  /** Something that makes the document not well-formed (the scan goes on). */
  malformed(): void;
}

const GT = 62; // >
const SLASH = 47; // /
const BANG = 33; // !
const QUESTION = 63; // ?
const EQUALS = 61; // =
const DQUOTE = 34; // "
const SQUOTE = 39; // '

const NO_NAMES: readonly string[] = Object.freeze([]);

/** Attributes kept per element; real ones have a handful (SVG a few dozen). Later ones are dropped. */
export const MAX_ATTRIBUTES = 256;

export function scanXml(text: string, sink: XmlSink): void {
  const end = text.length;
  let i = 0;
  while (i < end) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      sink.text(text.slice(i));
      return;
    }
    if (lt > i) sink.text(textBetween(text, i, lt));
    const next = text.charCodeAt(lt + 1);
    if (next === SLASH) i = closeTag(text, lt, sink);
    else if (next === BANG) i = declaration(text, lt, sink);
    else if (next === QUESTION) i = skipPast(text, lt + 2, '?>', sink);
    else if (isNameStart(next)) i = openTag(text, lt, sink);
    else {
      // A '<' that starts no markup: keep it as text.
      sink.malformed();
      sink.text('<');
      i = lt + 1;
    }
  }
}

/**
 * Indentation between elements ("\n" and up to 16 spaces or tabs) as one shared string per width:
 * a 1,000-item feed has ~10,000 such runs, each otherwise its own small copy kept in the tree.
 */
function textBetween(text: string, from: number, to: number): string {
  const width = to - from - 1;
  if (width <= 16 && text.charCodeAt(from) === 10) {
    const pad = text.charCodeAt(from + 1);
    if (width === 0) return '\n';
    if (pad === 32 || pad === 9) {
      let k = from + 2;
      while (k < to && text.charCodeAt(k) === pad) k++;
      if (k === to) return (pad === 32 ? SPACES : TABS)[width]!;
    }
  }
  return text.slice(from, to);
}

const SPACES = Array.from({ length: 17 }, (_, n) => '\n' + ' '.repeat(n));
const TABS = Array.from({ length: 17 }, (_, n) => '\n' + '\t'.repeat(n));

function closeTag(text: string, lt: number, sink: XmlSink): number {
  const gt = text.indexOf('>', lt + 2);
  if (gt < 0) return truncated(text, sink);
  const name = text.slice(lt + 2, gt).trimEnd();
  if (name === '' || !isNameStart(name.charCodeAt(0))) sink.malformed();
  else sink.closeTag(name);
  return gt + 1;
}

/** `<!--`, `<![CDATA[`, or another `<!...>` declaration (the DOCTYPE was removed before the scan). */
function declaration(text: string, lt: number, sink: XmlSink): number {
  if (text.startsWith('<!--', lt)) return skipPast(text, lt + 4, '-->', sink);
  if (text.startsWith('<![CDATA[', lt)) {
    const close = text.indexOf(']]>', lt + 9);
    if (close < 0) {
      sink.malformed();
      sink.cdata(text.slice(lt + 9));
      return text.length;
    }
    sink.cdata(text.slice(lt + 9, close));
    return close + 3;
  }
  sink.malformed();
  return skipPast(text, lt + 2, '>', sink);
}

function skipPast(text: string, from: number, terminator: string, sink: XmlSink): number {
  const at = text.indexOf(terminator, from);
  if (at < 0) return truncated(text, sink);
  return at + terminator.length;
}

/** The document ends inside markup (a cut-off download): what came before is kept. */
function truncated(text: string, sink: XmlSink): number {
  sink.malformed();
  return text.length;
}

function openTag(text: string, lt: number, sink: XmlSink): number {
  const end = text.length;
  let i = lt + 1;
  while (i < end && isNameChar(text.charCodeAt(i))) i++;
  const qname = text.slice(lt + 1, i);
  let attrs: Record<string, string> | null = null;
  let names: string[] | null = null;
  for (;;) {
    i = skipSpace(text, i);
    if (i >= end) return truncated(text, sink);
    const c = text.charCodeAt(i);
    if (c === GT) {
      sink.openTag(qname, attrs, names ?? NO_NAMES, false);
      return i + 1;
    }
    if (c === SLASH) {
      if (text.charCodeAt(i + 1) !== GT) {
        sink.malformed();
        i++;
        continue;
      }
      sink.openTag(qname, attrs, names ?? NO_NAMES, true);
      return i + 2;
    }
    // An attribute: name, '=', quoted value. Unquoted and valueless ones are read, but noted.
    const nameStart = i;
    while (i < end && isNameChar(text.charCodeAt(i))) i++;
    if (i === nameStart) {
      sink.malformed(); // junk such as a stray quote: skip one character
      i++;
      continue;
    }
    const name = text.slice(nameStart, i);
    i = skipSpace(text, i);
    let value = '';
    if (text.charCodeAt(i) === EQUALS) {
      i = skipSpace(text, i + 1);
      const quote = text.charCodeAt(i);
      if (quote === DQUOTE || quote === SQUOTE) {
        const close = text.indexOf(quote === DQUOTE ? '"' : "'", i + 1);
        if (close < 0) return truncated(text, sink);
        value = text.slice(i + 1, close);
        i = close + 1;
      } else {
        sink.malformed();
        const start = i;
        while (i < end && !isSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== GT) i++;
        value = text.slice(start, i);
      }
    } else {
      sink.malformed();
    }
    // Attribute names are feed text: a table without a prototype keeps `__proto__` or
    // `constructor` plain keys.
    attrs ??= Object.create(null) as Record<string, string>;
    names ??= [];
    if (Object.hasOwn(attrs, name) || names.length >= MAX_ATTRIBUTES) sink.malformed(); // the first one counts
    else {
      attrs[name] = value;
      names.push(name);
    }
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** XML NameStartChar, approximated: ASCII letters, '_', ':' and anything non-ASCII. */
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c > 127;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
