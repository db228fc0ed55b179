import { describe, expect, it } from 'vitest';
import { fetchFeed, type FetchLike } from '../../src/fetch/fetcher';
import { parseIPv4, parseIPv6, refuseHost, urlPolicy } from '../../src/fetch/urlPolicy';

const refuse = urlPolicy({ allowPrivate: false });
const refusal = (url: string) => refuse(new URL(url));

describe('urlPolicy: refused URLs', () => {
  const refused: [string, RegExp][] = [
    // schemes and credentials
    ['ftp://feeds.example.org/rss', /only http and https/],
    ['file:///etc/passwd', /only http and https/],
    ['javascript:alert(1)', /only http and https/],
    ['https://user:secret@feeds.example.org/rss', /credentials/],
    ['https://user@feeds.example.org/rss', /credentials/],
    // IPv4, every spelling the URL parser accepts
    ['http://127.0.0.1/feed', /loopback/],
    ['http://127.1/feed', /loopback/],
    ['http://2130706433/feed', /loopback/],
    ['http://0x7f000001/feed', /loopback/],
    ['http://0x7f.0.0.1/feed', /loopback/],
    ['http://0177.0.0.1/feed', /loopback/],
    ['http://127.0.0.1./feed', /loopback/],
    ['http://0.0.0.0/', /unspecified/],
    ['http://0/', /unspecified/],
    ['http://10.1.2.3/', /private/],
    ['http://172.16.0.1/', /private/],
    ['http://172.31.255.255/', /private/],
    ['http://192.168.1.1/', /private/],
    ['http://100.64.0.1/', /carrier-grade NAT/],
    ['http://100.100.100.200/', /carrier-grade NAT/], // Alibaba metadata
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://0xa9fea9fe/', /link-local/], // 169.254.169.254 in hex
    ['http://224.0.0.1/', /multicast/],
    ['http://239.255.255.250/', /multicast/],
    ['http://255.255.255.255/', /broadcast/],
    ['http://192.0.2.10/', /documentation/],
    ['http://198.18.0.1/', /benchmarking/],
    // IPv6
    ['http://[::1]/', /loopback/],
    ['http://[::]/', /unspecified/],
    ['http://[0:0:0:0:0:0:0:1]/', /loopback/],
    ['http://[::ffff:127.0.0.1]/', /IPv4-mapped.*loopback/],
    ['http://[::ffff:7f00:1]/', /IPv4-mapped.*loopback/],
    ['http://[::ffff:a9fe:a9fe]/', /IPv4-mapped.*link-local/],
    ['http://[::127.0.0.1]/', /reserved IPv6/],
    ['http://[64:ff9b::10.0.0.1]/', /NAT64.*private/],
    ['http://[2002:7f00:1::]/', /6to4.*loopback/],
    ['http://[fc00::1]/', /unique local/],
    ['http://[fd00:ec2::254]/', /unique local/], // AWS metadata over IPv6
    ['http://[fe80::1]/', /link-local/],
    ['http://[fec0::1]/', /site-local/],
    ['http://[ff02::1]/', /multicast/],
    ['http://[2001:db8::1]/', /documentation/],
    ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', /Teredo/],
    // names
    ['http://localhost/', /local name/],
    ['http://LOCALHOST:8080/', /local name/],
    ['http://api.localhost/', /local name/],
    ['http://localhost./', /local name/],
    ['http://localhost../', /local name/],
    ['http://LOCALHOST.../feed', /local name/],
    ['http://127.0.0.1../feed', /loopback/],
    ['http://10.0.0.1../', /private/],
    ['http://a..b.example/', /empty label/],
    ['http://printer.local/', /local name/],
    ['http://metadata.google.internal/computeMetadata/v1/', /local name/],
    ['http://router.home.arpa/', /local name/],
    ['http://wiki/', /single-label/],
    ['http://metadata/', /single-label/],
  ];

  it.each(refused)('refuses %s', (url, why) => {
    expect(refusal(url)).toMatch(why);
  });

  // URLs the platform cannot even parse can never be fetched: that they throw is the check.
  it.each(['http://[fe80::1%25eth0]/', 'http://[::1/', 'http://exa mple.org/'])('cannot even parse %s', (url) => {
    expect(() => new URL(url)).toThrow();
  });
});

describe('urlPolicy: allowed URLs', () => {
  it.each([
    'https://feeds.example.org/rss.xml',
    'http://news.example.com:8080/atom',
    'https://8.8.8.8/feed',
    'https://1.1.1.1/',
    'http://172.32.0.1/',
    'http://100.128.0.1/',
    'http://[2606:4700:4700::1111]/feed',
    'http://[::ffff:8.8.8.8]/feed',
    'http://[2002:808:808::]/',
    'https://xn--bcher-kva.example/feed',
  ])('allows %s', (url) => {
    expect(refusal(url)).toBeNull();
  });

  it('allows private addresses only when the settings say so, never other schemes or credentials', () => {
    const demo = urlPolicy({ allowPrivate: true });
    expect(demo(new URL('http://127.0.0.1:8788/feed.xml'))).toBeNull();
    expect(demo(new URL('http://localhost/feed'))).toBeNull();
    expect(demo(new URL('file:///etc/passwd'))).toMatch(/only http/);
    expect(demo(new URL('http://a:b@127.0.0.1/'))).toMatch(/credentials/);
  });
});

describe('address parsing', () => {
  it('reads IPv4 in all the forms URL parsers accept, and nothing else', () => {
    expect(parseIPv4('127.0.0.1')).toBe(0x7f000001);
    expect(parseIPv4('127.1')).toBe(0x7f000001);
    expect(parseIPv4('127.0.1')).toBe(0x7f000001);
    expect(parseIPv4('2130706433')).toBe(0x7f000001);
    expect(parseIPv4('0x7F000001')).toBe(0x7f000001);
    expect(parseIPv4('0177.0.0.01')).toBe(0x7f000001);
    expect(parseIPv4('256.0.0.1')).toBeNull();
    expect(parseIPv4('1.2.3.4.5')).toBeNull();
    expect(parseIPv4('4294967296')).toBeNull();
    expect(parseIPv4('08.0.0.1')).toBeNull();
    expect(parseIPv4('example.org')).toBeNull();
  });

  it('reads IPv6 with ::, embedded IPv4 and zones', () => {
    expect(parseIPv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6('fe80::1%eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIPv6('1:2:3:4:5:6:7.8.9.10')).toEqual([1, 2, 3, 4, 5, 6, 0x708, 0x90a]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6('1:2:3:4:5:6:7')).toBeNull();
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(parseIPv6('12345::')).toBeNull();
    expect(parseIPv6('::ffff:300.0.0.1')).toBeNull();
  });

  it('judges raw host strings, not only what URL normalised', () => {
    expect(refuseHost('0x7f.1')).toMatch(/loopback/);
    expect(refuseHost('[::1]')).toMatch(/loopback/);
    expect(refuseHost('[not-an-address]')).toMatch(/malformed/);
    expect(refuseHost('feeds.example.org')).toBeNull();
  });
});

describe('fetchFeed with the policy', () => {
  it('refuses a redirect to a private address without requesting it', async () => {
    const requested: string[] = [];
    const fetch: FetchLike = async (input) => {
      const url = String(input instanceof Request ? input.url : input);
      requested.push(url);
      return new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    };
    const out = await fetchFeed('https://feeds.example.org/rss', { etag: null, lastModified: null },
      { fetch, timeoutMs: 1000, maxBytes: 1024, maxRedirects: 3, userAgent: 'test', refuseUrl: refuse });
    expect(out.kind).toBe('failed');
    expect(out.kind === 'failed' && out.error).toMatch(/^fetch: refused http:\/\/169\.254\.169\.254\/.*link-local/);
    expect(requested).toEqual(['https://feeds.example.org/rss']);
  });
});
