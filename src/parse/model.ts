// What every format reader (rss/, rdf/, atom/, json/) returns: the feed's own fields and its
// items, as the feed says them. index.ts adds the format, encoding and well-formedness.
import type { ParsedFeedInfo, ParsedItem } from '../model';

export interface FeedParts {
  feed: ParsedFeedInfo;
  items: ParsedItem[];
}
