// Authors: RSS gives one string ("me@example.com (Name)", "Name <me@example.com>", "Name"),
// Atom and JSON Feed give structured records.
import type { Person } from '../model';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export function personFromText(raw: string | null): Person | null {
  const text = raw?.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  const email = EMAIL.exec(text)?.[0] ?? null;
  if (!email) return { name: text, email: null, url: null };
  const rest = text
    .replace(email, '')
    .replace(/mailto:/i, '')
    .replace(/[()<>[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { name: rest || null, email, url: null };
}

export function person(name: string | null, email: string | null, url: string | null): Person | null {
  if (!name && !email && !url) return null;
  return { name: name || null, email: email || null, url: url || null };
}
