// JSON Feed 1.0 / 1.1 reader.
export { readJsonFeed, type JsonFeedParts } from './reader';
