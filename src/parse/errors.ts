/** Raised when a document cannot be read as a feed. The message starts with the stage that gave up. */
export class FeedParseError extends Error {
  override name = 'FeedParseError';
}
