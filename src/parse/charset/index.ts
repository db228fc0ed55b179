// The charset layer's door: fetched bytes to text (BOM, HTTP charset, XML declaration, guess).
export { decodeBytes, parseContentType, supportedLabel, type DecodedText, type MediaType } from './decode';
