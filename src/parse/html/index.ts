// The HTML layer's door: text constructs (title/summary/content elements) to stored text or
// sanitised HTML, and the sanitiser itself for HTML that arrives as a plain string (JSON Feed).
export { htmlValue, readConstruct, rssTitle, titleValue, type Construct, type Dialect } from './content';
export { sanitizeFeedHtml } from './sanitize';
