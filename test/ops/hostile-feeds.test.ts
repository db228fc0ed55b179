// A run with hostile feeds among the seeds (issue 11): an entity-amplification feed fails its
// own source with a clear parse error, and a feed with element names like `toString:` is read;
// everyone else's articles are delivered in the same run.
import { beforeEach, expect, it } from 'vitest';
import { runScheduled } from '../../src/scheduled';
import { entityAmplification } from '../fixtures/hostile';
import { clearKv, runDeps, seedFetch, testEnv } from './helpers';

beforeEach(() => clearKv());

it('an entity bomb fails only its source; built-in element names do not fail theirs', async () => {
  const encoder = new TextEncoder();
  const hostile = seedFetch((body, url) => {
    if (url.endsWith('/harbor-daily.xml')) return encoder.encode(entityAmplification(16 * 1024, 4000));
    if (url.endsWith('/meridian-post.xml')) {
      const text = new TextDecoder().decode(body);
      return encoder.encode(text.replaceAll('<item>', '<item><toString:tag>v</toString:tag><x:y xmlns:x="constructor">w</x:y>'));
    }
    return body;
  });
  const report = await runScheduled(testEnv(), runDeps({ fetch: hostile }));
  expect(report.errors).toEqual([{ source: 'http://seeds.test/harbor-daily.xml', error: expect.stringMatching(/^xml: entity expansion budget exceeded/) }]);
  // The seeds hold 13 articles, 3 of them Harbor Daily's.
  expect(report.newArticles).toBe(10);
});
