import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/parse';

// A Russian news feed in KOI8-R that declares no charset anywhere (served as application/xml).
const KOI8R_FEED =
  'PD94bWwgdmVyc2lvbj0iMS4wIj8+Cjxyc3MgdmVyc2lvbj0iMi4wIj48Y2hhbm5lbD48dGl0bGU+7s/Xz9PUySDEztE8L3RpdGxlPjxsaW5rPmh0dHBzOi8vbm92b3N0aS5leGFtcGxlLzwvbGluaz48ZGVzY3JpcHRpb24+58zB187ZxSDTz8LZ1MnRPC9kZXNjcmlwdGlvbj48aXRlbT48dGl0bGU+9yDtz9PL18Ugz9TL0tnMwdPYIM7P18HRINPUwc7DydEgzcXU0s88L3RpdGxlPjxsaW5rPmh0dHBzOi8vbm92b3N0aS5leGFtcGxlL21ldHJvPC9saW5rPjxkZXNjcmlwdGlvbj7z1MHOw8nRIM/Uy9LZzMHT2CDEzNEg0MHT08HWydLP1yDXINDPzsXExczYzsnLINXU0s/NLiDk18nWxc7JxSDQz8XaxM/XIMnEo9Qg0M8g0sHT0MnTwc7JwCwg08/Pwt3JzMkg1yDHz9LPxNPLz80g1NLBztPQz9LUzs/NINXQ0sHXzMXOyckuPC9kZXNjcmlwdGlvbj48L2l0ZW0+PC9jaGFubmVsPjwvcnNzPg==';

const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

describe('undeclared legacy charsets', () => {
  it('guesses the charset of bytes that are not UTF-8 and declare nothing', () => {
    const feed = parseFeed(bytes(KOI8R_FEED), { contentType: 'application/xml' });
    expect(feed.encoding).toBe('koi8-r');
    expect(feed.wellformed).toBe(false);
    expect(feed.feed.title).toBe('Новости дня');
    expect(feed.items[0]!.title).toBe('В Москве открылась новая станция метро');
  });

  it('still reads plain windows-1252 text when there is too little to go on', () => {
    const feed = parseFeed(Uint8Array.from([...new TextEncoder().encode('<rss version="2.0"><channel><title>Caf'), 0xe9, ...new TextEncoder().encode('</title></channel></rss>')]));
    expect(feed.feed.title).toBe('Café');
  });
});
