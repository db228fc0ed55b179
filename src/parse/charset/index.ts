// The charset layer's door: fetched bytes to text (BOM, HTTP charset, XML declaration, guess).
export { decodeBytes, type DecodedText } from './decode';
