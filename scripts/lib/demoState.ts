// The demo's local KV (`.wrangler/demo-state/`) across `npm start`s: one start at a time uses it
// (a lock naming its process), and a start sets the state aside before wrangler opens it, so a
// start that fails puts it back exactly as it was; only a start that came up lets it go.
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface DemoState {
  /** The state wrangler persists to. */
  dir: string;
  /** `{pid, port}` of the `npm start` using it. */
  lock: string;
  /** The state as it was before this start, until the start comes up. */
  backup: string;
}

/** Marks a backup of "there was no state": putting it back removes the state. */
const NO_STATE = '.storywire-no-state';

export function demoState(dir: string): DemoState {
  return { dir, lock: `${dir}.lock`, backup: `${dir}.before-start` };
}

/** The live `npm start` that holds the state (not this process), or null; a dead one's lock is no one's. */
export function lockHolder(state: DemoState): { pid: number; port: number } | null {
  let held: { pid?: unknown; port?: unknown };
  try {
    held = JSON.parse(readFileSync(state.lock, 'utf8')) as typeof held;
  } catch {
    return null;
  }
  if (typeof held.pid !== 'number' || held.pid === process.pid || !isAlive(held.pid)) return null;
  return { pid: held.pid, port: typeof held.port === 'number' ? held.port : 0 };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function takeLock(state: DemoState, port: number): void {
  mkdirSync(dirname(state.lock), { recursive: true });
  writeFileSync(state.lock, JSON.stringify({ pid: process.pid, port }));
}

/** Removes the lock if it is this process's. */
export function releaseLock(state: DemoState): void {
  try {
    const held = JSON.parse(readFileSync(state.lock, 'utf8')) as { pid?: unknown };
    if (held.pid === process.pid) rmSync(state.lock, { force: true });
  } catch {
    // no lock, or not ours
  }
}

/**
 * Before wrangler starts: the state is moved aside (a fresh start) or copied aside
 * (`--keep-state`, wrangler goes on with it). A backup left by a start that was killed before it
 * came up is put back first: that is the state before it.
 */
export function setAside(state: DemoState, keep: boolean): void {
  putBack(state);
  if (!existsSync(state.dir)) {
    mkdirSync(state.backup, { recursive: true });
    writeFileSync(join(state.backup, NO_STATE), '');
  } else if (keep) {
    cpSync(state.dir, state.backup, { recursive: true });
  } else {
    renameSync(state.dir, state.backup);
  }
}

/** After a failed start (wrangler stopped): the state as it was before it. */
export function putBack(state: DemoState): void {
  if (!existsSync(state.backup)) return;
  rmSync(state.dir, { recursive: true, force: true });
  if (existsSync(join(state.backup, NO_STATE))) rmSync(state.backup, { recursive: true, force: true });
  else renameSync(state.backup, state.dir);
}

/** The start came up: what it set aside is no longer needed. */
export function letGo(state: DemoState): void {
  rmSync(state.backup, { recursive: true, force: true });
}
