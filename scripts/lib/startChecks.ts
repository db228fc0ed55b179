// What `npm start` (scripts/dev.mjs) checks before it touches any state: the ports, the
// settings the Worker will get (wrangler.toml's [vars], then the demo's own, then the
// `--var NAME:VALUE` arguments, as wrangler merges them) and the seed feeds. Pure but for
// reading files; each check returns a one-line reason, or null when all is well.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings, SettingsError } from '../../src/config';

/** The port in `value` (an environment variable's text), or a reason it is not one. */
export function portOf(name: string, value: string | undefined, fallback: number): number | string {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  return /^\d+$/.test(value) && port >= 1 && port <= 65535 ? port : `${name} must be a port number from 1 to 65535, got "${value}"`;
}

/** Every `--var NAME:VALUE` (or `--var=NAME:VALUE`, or several values after one `--var`) among wrangler's arguments. */
export function varsFromArgs(args: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  const take = (pair: string) => {
    const at = pair.indexOf(':');
    if (at > 0) vars[pair.slice(0, at)] = pair.slice(at + 1);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--var=')) take(arg.slice('--var='.length));
    else if (arg === '--var') {
      while (i + 1 < args.length && /^[A-Za-z_]\w*:/.test(args[i + 1]!)) take(args[++i]!);
    }
  }
  return vars;
}

/**
 * The string values of wrangler.toml's [vars] table: basic ("…") and literal ('…') strings, and
 * their multi-line forms. Not a TOML parser: a value it cannot read is left out (the Worker's
 * own check at start-up still catches it).
 */
export function tomlVars(toml: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const table = /^\[vars\][^\S\n]*(?:#.*)?$/m.exec(toml);
  if (!table) return vars;
  let rest = toml.slice(table.index + table[0].length);
  const nextTable = /^\s*\[/m.exec(rest);
  if (nextTable) rest = rest.slice(0, nextTable.index);
  const entry = /^[^\S\n]*([A-Za-z_][\w-]*)[^\S\n]*=[^\S\n]*('''[\s\S]*?'''|"""[\s\S]*?"""|'[^'\n]*'|"(?:[^"\\\n]|\\.)*")/gm;
  for (const [, name, raw] of rest.matchAll(entry)) {
    const value = stringValue(raw!);
    if (value !== null) vars[name!] = value;
  }
  return vars;
}

function stringValue(raw: string): string | null {
  if (raw.startsWith("'''")) return raw.slice(3, -3).replace(/^\r?\n/, '');
  if (raw.startsWith("'")) return raw.slice(1, -1);
  const body = raw.startsWith('"""') ? raw.slice(3, -3).replace(/^\r?\n/, '') : raw.slice(1, -1);
  try {
    // A TOML basic string escapes as JSON does, but for \U and line-ending backslashes (left out).
    return JSON.parse(`"${body.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`) as string;
  } catch {
    return null;
  }
}

/** Why the Worker would refuse these settings (readSettings' message), or null. */
export function settingsProblem(vars: Record<string, string>): string | null {
  try {
    readSettings(vars);
    return null;
  } catch (err) {
    if (err instanceof SettingsError) return `a setting is wrong: ${err.message}`;
    throw err;
  }
}

export interface Seed {
  file: string;
  name: string;
}

/** The seed publishers (seeds/sources.json), each file present, or a reason. */
export function readSeeds(root: string): Seed[] | string {
  let seeds: unknown;
  try {
    seeds = JSON.parse(readFileSync(join(root, 'seeds', 'sources.json'), 'utf8'));
  } catch (err) {
    return `cannot read seeds/sources.json (${(err as Error).message})`;
  }
  if (!Array.isArray(seeds) || seeds.some((s) => typeof s?.file !== 'string' || typeof s?.name !== 'string')) {
    return 'seeds/sources.json is not a list of {"file", "name"}';
  }
  const missing = (seeds as Seed[]).find((s) => !/^[\w.-]+$/.test(s.file) || !existsSync(join(root, 'seeds', 'feeds', s.file)));
  return missing ? `seeds/feeds/${missing.file} is missing` : (seeds as Seed[]);
}

/** The first `name` executable on PATH, or null. */
export function onPath(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(process.platform === 'win32' ? ';' : ':')) {
    if (!dir) continue;
    for (const candidate of process.platform === 'win32' ? [`${name}.cmd`, `${name}.exe`] : [name]) {
      if (existsSync(join(dir, candidate))) return join(dir, candidate);
    }
  }
  return null;
}
