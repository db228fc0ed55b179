// The one hash module. Story ids are public URLs and stored state, article and source ids key KV,
// fingerprints are stored in story records: the expected values below were produced by the code
// before the hashes were gathered here, and must never change.
import { describe, expect, it } from 'vitest';
import { mintStoryId } from '../../src/cluster/story-id';
import { variantEtag } from '../../src/http/etag';
import { textFingerprint } from '../../src/stories/fingerprint';
import { fnv1a, stableHash } from '../../src/util/hash';

const KNOWN = [
  { articleId: '', storyId: '0ztntfp01efc4f', second: '02fqcrd0teihlr', stable: '488bdcb81aee8d83' },
  { articleId: 'a1b2c3d4e5f60718', storyId: '0mu4osf1u41f1x', second: '0rt3u670mdft0p', stable: 'b9b928e85059d216' },
  { articleId: 'article-éü-😀', storyId: '1iqcmzd1ysksn3', second: '10xarsd19m0f0f', stable: 'd407afbfb9b318f2' },
];

describe('fnv1a', () => {
  it('matches the published 32-bit FNV-1a test vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('gives an independent hash for another offset', () => {
    expect(fnv1a('foobar', 0x050c5d1f)).not.toBe(fnv1a('foobar'));
  });
});

describe('ids minted before the hashes were gathered', () => {
  it.each(KNOWN)('story id of $articleId is unchanged', ({ articleId, storyId, second }) => {
    expect(mintStoryId(articleId, () => false)).toBe(storyId);
    // The second attempt, taken when the first id is in use.
    expect(mintStoryId(articleId, (id) => id === storyId)).toBe(second);
  });

  it.each(KNOWN)('stableHash of $articleId is unchanged', ({ articleId, stable }) => {
    expect(stableHash(articleId)).toBe(stable);
  });

  it('keeps the stored syndication fingerprint and the variant ETag', () => {
    const lede = 'Ukraine has proposed a new round of peace talks with Russia next week in Istanbul, President Volodymyr Zelensky said on Saturday evening in his nightly address to the nation.';
    expect(textFingerprint(lede)).toBe(
      '5be937c43b28c8f5a4c005f2d38604a125e4273d9870c53bc3235052738f983cf46a15669743f39f93b3c6f33b55c58c7bac885f6e6fa3867e65c31fc81445db',
    );
    expect(variantEtag('"0123456789abcdef0123456789abcdef"', 'https://news.example.org')).toBe('"0123456789abcdef0123456789abcdef-e9574be9"');
  });
});
