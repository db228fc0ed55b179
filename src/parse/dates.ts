// Feed dates to ISO 8601 UTC (seconds precision). Readers: W3C-DTF / ISO 8601 (incl. the
// reduced and two-digit-year forms old feeds use), RFC 822/1123 with its common variants
// (named zones, missing seconds, full month names, two-digit years, 12-hour clocks), asctime,
// year-first dates with slashes or a named zone (2020/1/10 14:33:00, 2019-05-29 10:16:00 UTC),
// and a few localised forms (Korean, Greek month names, Hungarian month names). Anything not understood, or out of range, is null: never a
// guessed date. Day-month-year and month-day-year numbers (10/01/2020) are ambiguous: null.

// Month and zone names come from feed text: Maps, so that a zone named `constructor` is unknown
// rather than Object.prototype's.
const MONTHS: ReadonlyMap<string, number> = new Map(Object.entries({
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
}));

/** Offsets in minutes for the zone names RFC 822 and real feeds use. */
const ZONES: ReadonlyMap<string, number> = new Map(Object.entries({
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, ist: 330, cet: 60, met: 60, mez: 60, cest: 120, mest: 120,
  mesz: 120, eet: 120, eest: 180, msk: 180, jst: 540, kst: 540, hkt: 480, sgt: 480, aest: 600, aedt: 660,
  acst: 570, awst: 480, nzst: 720, nzdt: 780,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  ast: -240, adt: -180, akst: -540, akdt: -480, hst: -600,
  // Unqualified US zone letters some generators emit.
  at: -240, et: -300, ct: -360, mt: -420, pt: -480,
  // Military single letters (RFC 822), Z handled above.
  a: -60, m: -720, n: 60, y: 720,
  // tz database names for UTC (not Etc/GMT+5 and the like: their sign is inverted).
  'etc/gmt': 0, 'etc/utc': 0, 'etc/uct': 0, 'etc/zulu': 0, 'etc/universal': 0,
}));

export function parseDate(input: string | null | undefined): string | null {
  if (!input) return null;
  const common = commonForm(input);
  if (common !== null) return common;
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  return iso8601(text) ?? rfc822(text) ?? asctime(text) ?? yearFirst(text) ?? korean(text) ?? greek(text) ?? hungarian(text);
}

// The two forms nearly every feed writes, exactly: 2024-06-04T09:15:00Z (or +02:00) and
// Tue, 04 Jun 2024 09:15:00 +0000 (or GMT). Read without the general readers' chain of regexes;
// anything else, and anything these do not accept, goes the long way.
const COMMON_RFC822 = /^(?:[A-Z][a-z]{2}, )?(\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC|([+-])(\d{2})([0-5]\d))$/;

function commonForm(text: string): string | null {
  const iso = commonIso(text);
  if (iso !== undefined) return iso;
  const rfc = COMMON_RFC822.exec(text);
  if (!rfc) return null;
  const month = MONTHS.get(rfc[2]!.toLowerCase());
  if (month === undefined) return null;
  return build(Number(rfc[3]), month, Number(rfc[1]), Number(rfc[4]), Number(rfc[5]), Number(rfc[6]), signedOffset(rfc[7], rfc[8], rfc[9]));
}

/**
 * The ISO form, exactly /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:[0-5]\d)$/,
 * read character by character (no match array or substrings; most items have two dates): the
 * date, or null when out of range; undefined when the text is not in that form.
 */
function commonIso(text: string): string | null | undefined {
  const length = text.length;
  if (length < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return undefined; // not YYYY-MM-DDTHH:MM:SS
  }
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  let i = 19;
  if (text.charCodeAt(i) === 46 /* . */) {
    const from = i + 1;
    i = from;
    while (i - from < 9 && isDigitCode(text.charCodeAt(i))) i++;
    if (i === from) return undefined;
  }
  const zone = text.charCodeAt(i);
  if (zone === 90 /* Z */) return i + 1 === length ? build(y, mo, d, h, mi, s, 0) : undefined;
  if ((zone !== 43 && zone !== 45) || i + 6 !== length || text.charCodeAt(i + 3) !== 58) return undefined; // +HH:MM
  const offsetHours = digitsAt(text, i + 1, 2);
  const offsetMinutes = digitsAt(text, i + 4, 2);
  if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59) return undefined;
  const offset = offsetHours * 60 + offsetMinutes;
  return build(y, mo, d, h, mi, s, zone === 45 ? -offset : offset);
}

/** The number written with `count` ASCII digits at `from`, or -1. */
function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigitCode(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function signedOffset(sign: string | undefined, hours: string | undefined, minutes: string | undefined): number {
  if (sign === undefined) return 0;
  const total = Number(hours) * 60 + Number(minutes);
  return sign === '-' ? -total : total;
}

function iso8601(text: string): string | null {
  // Two-digit year, month and day without separators: 031231 (ISO 8601 has no six-digit YYYYMM).
  const yymmdd = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (yymmdd) return build(year(yymmdd[1]!), Number(yymmdd[2]), Number(yymmdd[3]), 0, 0, 0, 0);
  // Google once wrote three-digit months: 2003-012-31T10:14:55+00:00.
  if (/^\d{4}-0\d{2}-\d{2}(?:[T ]|$)/.test(text)) text = text.slice(0, 5) + text.slice(6);
  // Calendar date with optional time: 2003-12-31T10:14:55.5+01:00, 20031231T101455Z, 2004-07-08 23:56:58, 03-12-31.
  const full = /^(\d{4}|\d{2})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text);
  if (full) {
    const [, y, mo, d, h, mi, s, zone] = full;
    if (y!.length === 4 && mo === undefined && h !== undefined) return null;
    if (zone !== undefined && h === undefined) return null; // "2013-01-27-01" is not a zone
    const compactDate = !text.slice(0, 10).includes('-');
    if (compactDate && y!.length === 2 && d === undefined && mo !== undefined) return null; // "0312": ambiguous
    return build(year(y!), num(mo, 1), num(d, 1), num(h, 0), num(mi, 0), num(s, 0), isoZone(zone));
  }
  // Ordinal date: 2003-335 or 03335.
  const ordinal = /^(\d{4}|\d{2})-?(\d{3})$/.exec(text);
  if (ordinal) {
    const dayOfYear = Number(ordinal[2]);
    const y = year(ordinal[1]!);
    if (dayOfYear < 1 || dayOfYear > (isLeap(y) ? 366 : 365)) return null;
    const date = new Date(Date.UTC(y, 0, dayOfYear));
    return build(y, date.getUTCMonth() + 1, date.getUTCDate(), 0, 0, 0, 0);
  }
  // Year-month with a leading hyphen (two-digit year): -03-12.
  const reduced = /^-(\d{2})-?(\d{2})$/.exec(text);
  if (reduced) return build(year(reduced[1]!), Number(reduced[2]), 1, 0, 0, 0, 0);
  return null;
}

/** "14:02", "2:02:33 PM", "10:14:55.5": a clock time, with an optional 12-hour marker (AM, p.m.). */
const CLOCK = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?: ?([AaPp])\.?[Mm]\.?(?![A-Za-z]))?`;
const DAY_FIRST = new RegExp(String.raw`^(?:[A-Za-z]{2,9}\.?,? ?)?(\d{1,2})(?: |-)([A-Za-z]{3,9})\.?,?(?: |-)(\d{2,4}),?(?: ${CLOCK})? ?(.*)$`);
const MONTH_FIRST = new RegExp(String.raw`^(?:[A-Za-z]{2,9},? )?([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4}),?(?: ${CLOCK})? ?(.*)$`);

function rfc822(text: string): string | null {
  const m = DAY_FIRST.exec(text) ?? monthFirst(text);
  if (!m) return null;
  const [, d, monthName, y, h, mi, s, meridiem, zoneText] = m;
  const month = monthNumber(monthName!);
  if (!month) return null;
  const hour = clockHour(h, meridiem);
  const offset = zoneOffset(zoneText ?? '');
  if (hour === null || offset === null) return null;
  return build(year(y!), month, Number(d), hour, num(mi, 0), num(s, 0), offset);
}

/** "Thu, Jan 01 2004 10:00:00 GMT": month before day; returns groups in rfc822's order. */
function monthFirst(text: string): (string | undefined)[] | null {
  const m = MONTH_FIRST.exec(text);
  return m ? [m[0], m[2], m[1], ...m.slice(3)] : null;
}

/** 2020/1/10 14:33:00, Fri, 2006/09/15 08:19:53 EDT, 2019-05-29 10:16:00 UTC: year, month, day. */
const YEAR_FIRST = new RegExp(String.raw`^(?:[A-Za-z]{2,9}\.?,? ?)?(\d{4})([/-])(\d{1,2})\2(\d{1,2})(?:[ T]${CLOCK})? ?(.*)$`);

function yearFirst(text: string): string | null {
  const m = YEAR_FIRST.exec(text);
  if (!m) return null;
  const [, y, , mo, d, h, mi, s, meridiem, zoneText] = m;
  const hour = clockHour(h, meridiem);
  const offset = zoneOffset(zoneText ?? '');
  if (hour === null || offset === null || (zoneText && h === undefined)) return null;
  return build(Number(y), Number(mo), Number(d), hour, num(mi, 0), num(s, 0), offset);
}

/** The hour on a 24-hour clock; with AM/PM only 1-12 are hours (12 AM is midnight, 12 PM noon). */
function clockHour(hour: string | undefined, meridiem: string | undefined): number | null {
  if (hour === undefined) return 0;
  const h = Number(hour);
  if (meridiem === undefined) return h;
  if (h < 1 || h > 12) return null;
  return (h % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
}

function asctime(text: string): string | null {
  const m = /^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?: ([+-]\d{4}|[A-Za-z]{1,5}))? (\d{4})$/.exec(text);
  if (!m) return null;
  const month = monthNumber(m[1]!);
  const offset = zoneOffset(m[6] ?? '');
  if (!month || offset === null) return null;
  return build(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), offset);
}

/** Korean portal formats: "2004-05-25 오후 11:23:17" and "2004년 05월 28일 01:31:15" (KST). */
function korean(text: string): string | null {
  const ampm = /^(\d{4})-(\d{2})-(\d{2}) (오전|오후) (\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (ampm) {
    const hour = (Number(ampm[5]) % 12) + (ampm[4] === '오후' ? 12 : 0);
    return build(Number(ampm[1]), Number(ampm[2]), Number(ampm[3]), hour, Number(ampm[6]), Number(ampm[7]), 540);
  }
  const onblog = /^(\d{4})년 (\d{1,2})월 (\d{1,2})일 (\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (onblog) return build(Number(onblog[1]), Number(onblog[2]), Number(onblog[3]), Number(onblog[4]), Number(onblog[5]), Number(onblog[6]), 540);
  return null;
}

// Greek month names without accents, lower case: the first three letters, or four for June and July.
const GREEK_MONTHS: ReadonlyMap<string, number> = new Map(Object.entries({
  ιαν: 1, φεβ: 2, μαρ: 3, απρ: 4, μαι: 5, ιουν: 6, ιον: 6, ιουλ: 7, ιολ: 7, αυγ: 8, σεπ: 9, οκτ: 10, νοε: 11, δεκ: 12,
}));

/** "Κυρ, 11 Ιούλ 2004 12:00:00 EST": RFC 822 with Greek day and month names. */
function greek(text: string): string | null {
  const m = /^(?:[\u0370-\u03ff\u1f00-\u1fff]+,? ?)?(\d{1,2}) ([\u0370-\u03ff\u1f00-\u1fff]+)\.? (\d{4} .*)$/.exec(text);
  if (!m) return null;
  const name = m[2]!.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const month = GREEK_MONTHS.get(name.slice(0, 4)) ?? GREEK_MONTHS.get(name.slice(0, 3));
  if (!month) return null;
  return rfc822(`${m[1]} ${FULL_MONTHS[month - 1]!.slice(0, 3)} ${m[3]}`);
}

const HUNGARIAN_MONTHS = ['január', 'február', 'március', 'április', 'május', 'június', 'július', 'augusztus', 'szeptember', 'október', 'november', 'december'];

/** "2004-július-13T9:15-05:00": W3C-DTF with a Hungarian month name and a one-digit hour. */
function hungarian(text: string): string | null {
  const m = /^(\d{4})-([^\d\s-]+)-(\d{1,2})T(\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!m) return null;
  const month = HUNGARIAN_MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
  if (!month) return null;
  return build(Number(m[1]), month, Number(m[3]), Number(m[4]), Number(m[5]), num(m[6], 0), isoZone(m[7]));
}

const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** 1-12 for "Jan", "Sept", "January"; null for anything else. */
function monthNumber(name: string): number | null {
  const lower = name.toLowerCase();
  const month = MONTHS.get(lower.slice(0, 3));
  if (!month) return null;
  return lower.length === 3 || FULL_MONTHS[month - 1]!.startsWith(lower) ? month : null;
}

function zoneOffset(zone: string): number | null {
  // A comment after the zone, as in mail headers: "+0000 (GMT)", "+0100 (CET)". The zone counts.
  const text = zone.trim().replace(/^(\S+) \([^()]*\)$/, '$1');
  if (text === '') return 0;
  const numeric = /^(?:GMT|UTC|UT)?([+-])(\d{2}):?(\d{2})$/i.exec(text) ?? /^(?:GMT|UTC)?([+-])(\d{1,2})()$/i.exec(text);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] || 0);
    if (Number(numeric[2]) > 14 || Number(numeric[3] || 0) > 59) return null;
    return numeric[1] === '-' ? -minutes : minutes;
  }
  const named = ZONES.get(text.replace(/[()]/g, '').toLowerCase());
  return named ?? null;
}

function isoZone(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMinutes: number): string | null {
  if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  if (h > 24 || mi > 59 || s > 60 || (h === 24 && (mi > 0 || s > 0))) return null;
  if (Math.abs(offsetMinutes) > 14 * 60) return null;
  return isoSeconds(Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59)) - offsetMinutes * 60_000);
}

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DDTHH:mm:ssZ' for a time in whole seconds, worked out by arithmetic: a Date and
 * toISOString cost ten times as much, and every item of every feed has a date or two. */
function isoSeconds(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const secondOfDay = (ms - days * DAY_MS) / 1000;
  // Civil date from days since 1970-01-01 (proleptic Gregorian; eras of 400 years from 0000-03-01).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const y = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // Years past 9999 (or before 1000) after the offset keep toISOString's form.
  if (y < 1000 || y > 9999) return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  return `${y}-${two(month)}-${two(day)}T${two(Math.floor(secondOfDay / 3600))}:${two(Math.floor(secondOfDay / 60) % 60)}:${two(secondOfDay % 60)}Z`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function year(text: string): number {
  const n = Number(text);
  if (text.length > 2) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

function num(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : Number(text);
}

function daysIn(y: number, mo: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
