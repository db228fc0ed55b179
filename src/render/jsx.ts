// Renders hono/jsx to a string synchronously: our components never await, so a Promise
// here means someone added an async component, which the renderers cannot serve.
import type { Child } from 'hono/jsx';

export function renderToString(node: Child): string {
  const rendered = node === null || node === undefined ? '' : node.toString();
  if (typeof rendered !== 'string') throw new Error('render: async components are not supported');
  return rendered;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "23 Nov 2026, 17:45 UTC": pages are cached and shared, so no relative or local times. */
export function displayTime(iso: string): string {
  const d = new Date(iso);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}
