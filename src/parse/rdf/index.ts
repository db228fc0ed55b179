// RSS 1.0 / 0.90 (RDF) reader.
export { readRdf } from './reader';
