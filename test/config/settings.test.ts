import { describe, expect, it } from 'vitest';
import { parseSourceList, readSettings, SettingsError } from '../../src/config';

describe('readSettings', () => {
  it('has sensible defaults for an empty environment', () => {
    const s = readSettings({});
    expect(s).toMatchObject({ siteTitle: 'storywire', publicUrl: null, sources: [], allowPrivateSources: false, adminToken: null, maxStories: 500 });
  });

  it('reads values and trims the public URL', () => {
    const s = readSettings({ PUBLIC_URL: 'https://news.example.org/', ALLOW_PRIVATE_SOURCES: 'true', MAX_STORIES: '20', ADMIN_TOKEN: ' secret ' });
    expect(s).toMatchObject({ publicUrl: 'https://news.example.org', allowPrivateSources: true, maxStories: 20, adminToken: 'secret' });
  });

  it('names the setting and the accepted range when a value is wrong', () => {
    expect(() => readSettings({ MAX_STORIES: 'lots' })).toThrow(new SettingsError('MAX_STORIES: expected a whole number from 1 to 5000, got "lots"'));
    expect(() => readSettings({ PUBLIC_URL: 'news.example.org' })).toThrow(/PUBLIC_URL: not an absolute URL/);
  });

  it('lets a free-plan deployment file as few as one article per run (docs/deploy.md)', () => {
    expect(readSettings({ MAX_ARTICLES_PER_RUN: '1' }).maxArticlesPerRun).toBe(1);
    expect(() => readSettings({ MAX_ARTICLES_PER_RUN: '0' })).toThrow(new SettingsError('MAX_ARTICLES_PER_RUN: expected a whole number from 1 to 20000, got "0"'));
  });
});

describe('parseSourceList', () => {
  it('accepts JSON objects, JSON strings and plain whitespace-separated URLs', () => {
    expect(parseSourceList('[{"url":"https://a.example/feed","name":" A "},"https://b.example/rss"]')).toEqual([
      { url: 'https://a.example/feed', name: 'A' },
      { url: 'https://b.example/rss', name: null },
    ]);
    expect(parseSourceList(' https://a.example/feed\n https://b.example/rss ')).toHaveLength(2);
    expect(parseSourceList('  ')).toEqual([]);
  });

  it('explains malformed JSON', () => {
    expect(() => parseSourceList('[{"url":}]')).toThrow(/SOURCES: not valid JSON/);
    expect(() => parseSourceList('[42]')).toThrow('SOURCES[0]: expected a URL string or {"url", "name"}');
  });
});
