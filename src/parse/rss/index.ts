// RSS 0.9x / 2.0 reader; its channel and item readers also serve RSS 1.0 (rdf/).
export { readChannel, readItem, readRss } from './reader';
export { withRssNames } from './names';
