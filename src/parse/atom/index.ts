// Atom 1.0 and 0.3 reader.
export { readAtom } from './reader';
