// The charset layer's door: fetched bytes to text (BOM, HTTP charset, XML declaration, guess),
// and the repair of text that went through a wrong decoder once before it reached us.
export { decodeBytes, type DecodedText } from './decode';
export { repairMojibake } from './mojibake';
