// Which URLs the Worker may fetch (SSRF guard). Checked for configured sources, sources added
// through the admin API, and every redirect hop. Only the URL can be checked: a Worker cannot
// resolve DNS itself, so a public name that resolves to a private address is not caught here
// (Cloudflare's egress does not reach private networks anyway; see docs/deploy.md).
import { hasScheme, WEB_SCHEMES } from '../util/urlSchemes';

export interface UrlPolicyOptions {
  /** Allow loopback, private and other non-public addresses (the local demo only). */
  allowPrivate: boolean;
}

/** Returns why `url` may not be fetched, or null when it may. */
export type UrlRefusal = (url: URL) => string | null;

export function urlPolicy({ allowPrivate }: UrlPolicyOptions): UrlRefusal {
  return function refuseUrl(url: URL): string | null {
    if (!hasScheme(url, WEB_SCHEMES)) return `only http and https URLs are allowed, not ${url.protocol}`;
    if (url.username !== '' || url.password !== '') return 'URLs with credentials are not allowed';
    if (allowPrivate) return null;
    return refuseHost(url.hostname);
  };
}

/** Why a host name or address is not public, or null when it is. Accepts URL.hostname (IPv6 in brackets). */
export function refuseHost(hostname: string): string | null {
  // Resolvers ignore any number of trailing dots ("localhost..", "127.0.0.1.."), so drop them all;
  // an empty label anywhere else is no host name at all.
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (host === '') return 'empty host';
  if (host.includes('..') || host.startsWith('.')) return `"${hostname}" has an empty label`;
  if (host.startsWith('[')) {
    const groups = parseIPv6(host.slice(1, -1));
    return groups ? refuseIPv6(groups) : 'malformed IPv6 address';
  }
  const v4 = parseIPv4(host);
  if (v4 !== null) return refuseIPv4(v4);
  return refuseName(host);
}

// --- names -------------------------------------------------------------------------------

/** Suffixes that only ever resolve inside a machine or a private network. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'home.arpa', 'corp', 'private'];

function refuseName(host: string): string | null {
  for (const suffix of LOCAL_SUFFIXES) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return `"${host}" is a local name`;
  }
  // A name without a dot is resolved through local search domains, never the public DNS.
  if (!host.includes('.')) return `"${host}" is a single-label (intranet) name`;
  return null;
}

// --- IPv4 --------------------------------------------------------------------------------

/**
 * Parses an IPv4 host the way URL parsers do: one to four parts, each decimal, hex (0x) or
 * octal (leading 0), the last part filling the remaining bytes ("127.1", "2130706433",
 * "0x7f.0.0.1", "0177.0.0.1"). Returns the address as a number, or null if it is not one.
 */
export function parseIPv4(host: string): number | null {
  const parts = host.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return null;
  const values: number[] = [];
  for (const part of parts) {
    const value = ipv4Part(part);
    if (value === null) return null;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255) || last >= 256 ** (4 - values.length)) return null;
  let address = 0;
  values.forEach((v, i) => (address += v * 256 ** (3 - i)));
  return address + last;
}

function ipv4Part(part: string): number | null {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return parseInt(part.slice(1), 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return null;
}

/** [network, prefix length, why] — the non-public IPv4 ranges (IANA special-purpose registry). */
const IPV4_BLOCKS: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified ("this network") address'],
  ['10.0.0.0', 8, 'private address'],
  ['100.64.0.0', 10, 'carrier-grade NAT address'],
  ['127.0.0.0', 8, 'loopback address'],
  ['169.254.0.0', 16, 'link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'private address'],
  ['192.0.0.0', 24, 'IETF protocol address'],
  ['192.0.2.0', 24, 'documentation address'],
  ['192.88.99.0', 24, '6to4 relay address'],
  ['192.168.0.0', 16, 'private address'],
  ['198.18.0.0', 15, 'benchmarking address'],
  ['198.51.100.0', 24, 'documentation address'],
  ['203.0.113.0', 24, 'documentation address'],
  ['224.0.0.0', 4, 'multicast address'],
  ['240.0.0.0', 4, 'reserved or broadcast address'],
];

const IPV4_RANGES = IPV4_BLOCKS.map(([network, bits, why]) => ({ start: parseIPv4(network)!, size: 2 ** (32 - bits), why }));

export function refuseIPv4(address: number): string | null {
  const range = IPV4_RANGES.find((r) => address >= r.start && address < r.start + r.size);
  return range ? `${formatIPv4(address)} is a ${range.why}` : null;
}

function formatIPv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

// --- IPv6 --------------------------------------------------------------------------------

/** Parses an IPv6 address (with "::" and an optional trailing dotted quad) into eight 16-bit groups. */
export function parseIPv6(text: string): number[] | null {
  let input = text.toLowerCase();
  const zone = input.indexOf('%');
  if (zone >= 0) input = input.slice(0, zone);
  // A trailing dotted quad ("::ffff:1.2.3.4") stands for the last two groups.
  const tail: number[] = [];
  const lastColon = input.lastIndexOf(':');
  if (input.slice(lastColon + 1).includes('.')) {
    const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(input.slice(lastColon + 1));
    const bytes = quad?.slice(1).map(Number);
    if (!bytes || bytes.some((b) => b > 255)) return null;
    tail.push(bytes[0]! * 256 + bytes[1]!, bytes[2]! * 256 + bytes[3]!);
    input = input.slice(0, lastColon + 1);
    if (!input.endsWith('::')) input = input.slice(0, -1);
  }
  const halves = input.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groupsOf(halves[0]!);
  const rest = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const missing = 8 - head.length - rest.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const hex = (g: string) => parseInt(g, 16);
  return [...head.map(hex), ...new Array<number>(missing).fill(0), ...rest.map(hex), ...tail];
}

export function refuseIPv6(g: number[]): string | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = g6 * 65536 + g7;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && g7 === 0) return ':: is the unspecified address';
  if (zeroUpTo(7) && g7 === 1) return '::1 is the loopback address';
  // Addresses that carry an IPv4 address: judge the IPv4 one.
  if (zeroUpTo(5) && g5 === 0xffff) return prefixed('IPv4-mapped', refuseIPv4(embedded));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return prefixed('NAT64', refuseIPv4(embedded));
  if (g0 === 0x2002) return prefixed('6to4', refuseIPv4(g1 * 65536 + g2));
  if (g0 < 0x100) return 'reserved IPv6 address (::/8, incl. IPv4-compatible)';
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'local-use NAT64 address';
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'discard-only IPv6 address';
  if (g0 === 0x2001 && g1 === 0) return 'Teredo tunnel address';
  if (g0 === 0x2001 && g1 === 0xdb8) return 'documentation IPv6 address';
  if (g0 === 0x2001 && g1 === 2 && g2 === 0) return 'benchmarking IPv6 address';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique local (private) IPv6 address';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local IPv6 address';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local IPv6 address';
  if ((g0 & 0xff00) === 0xff00) return 'multicast IPv6 address';
  return null;
}

function prefixed(kind: string, refusal: string | null): string | null {
  return refusal ? `${kind} IPv6 address: ${refusal}` : null;
}
