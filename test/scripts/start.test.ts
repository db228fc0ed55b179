// `npm start` (scripts/dev.mjs) checks everything it can before it touches the demo's state, and
// a start that fails later puts the state back: a failed start changes nothing. Each case runs
// the script itself on a state folder of its own (DEMO_STATE_DIR), never the checkout's.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { demoState, lockHolder } from '../../scripts/lib/demoState';
import { portOf, tomlVars, varsFromArgs } from '../../scripts/lib/startChecks';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'storywire-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let stateDir = '';
beforeEach(() => {
  stateDir = mkdtempSync(join(work, 'case-'));
  stateDir = join(stateDir, 'demo-state');
});

/** A demo state as a running demo leaves it: a file we can recognise. */
function seedState(dir: string): void {
  mkdirSync(join(dir, 'v3'), { recursive: true });
  writeFileSync(join(dir, 'v3', 'sources-and-pushes'), 'what the running demo stored');
}

/** Every file under `dir` with its content: what must not change. */
function contents(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  return Object.fromEntries(files.flatMap((f) => {
    try {
      return [[f, readFileSync(join(dir, f), 'utf8')]];
    } catch {
      return []; // a folder
    }
  }));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  await new Promise((ok) => server.close(ok));
  return port;
}

async function occupied(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: (server.address() as { port: number }).port, server };
}

/** A wrangler that writes into the state it is given and exits 1, as a wrangler that cannot start would. */
function failingWrangler(): string {
  const bin = mkdtempSync(join(work, 'bin-'));
  const script = join(bin, 'wrangler');
  writeFileSync(script, '#!/bin/sh\nwhile [ $# -gt 0 ]; do if [ "$1" = "--persist-to" ]; then dir="$2"; fi; shift; done\nmkdir -p "$dir" && echo half-started > "$dir/written-by-wrangler"\necho "fake wrangler: cannot start" >&2\nexit 1\n');
  chmodSync(script, 0o755);
  return bin;
}

function start(args: string[], env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'dev.mjs'), ...args], {
      cwd: root,
      env: { ...process.env, DEMO_STATE_DIR: stateDir, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (status) => ok({ status, stderr }));
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

describe('a failed npm start changes nothing', () => {
  it('when the port is taken', async () => {
    seedState(stateDir);
    const before = contents(stateDir);
    const { port, server } = await occupied();
    try {
      const result = await start([], { PORT: String(port), SEED_PORT: String(await freePort()) });
      expect(result.status).toBe(1);
      expect(lastLine(result.stderr)).toMatch(new RegExp(`^storywire did not start: port ${port} is in use`));
    } finally {
      server.close();
    }
    expect(contents(stateDir)).toEqual(before);
    expect(existsSync(demoState(stateDir).lock)).toBe(false);
    expect(existsSync(demoState(stateDir).backup)).toBe(false);
  });

  it('when the seed port is taken, a port is no port, or both are one', async () => {
    seedState(stateDir);
    const before = contents(stateDir);
    const { port, server } = await occupied();
    try {
      const seedBusy = await start([], { PORT: String(await freePort()), SEED_PORT: String(port) });
      expect(lastLine(seedBusy.stderr)).toMatch(/^storywire did not start: cannot serve the seed feeds on port/);
    } finally {
      server.close();
    }
    const notPort = await start([], { PORT: '80a' });
    expect(lastLine(notPort.stderr)).toBe('storywire did not start: PORT must be a port number from 1 to 65535, got "80a"');
    const same = await start([], { PORT: '18999', SEED_PORT: '18999' });
    expect(same.status).toBe(1);
    expect(lastLine(same.stderr)).toMatch(/PORT and SEED_PORT are both 18999/);
    expect(contents(stateDir)).toEqual(before);
  });

  it('when a setting is wrong, naming it', async () => {
    seedState(stateDir);
    const before = contents(stateDir);
    const result = await start(['--var', 'MAX_STORIES:lots'], { PORT: String(await freePort()), SEED_PORT: String(await freePort()) });
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toMatch(/^storywire did not start: a setting is wrong: MAX_STORIES: /);
    expect(contents(stateDir)).toEqual(before);
  });

  it('when another npm start uses the same state, whatever its port', async () => {
    seedState(stateDir);
    const before = contents(stateDir);
    const { lock } = demoState(stateDir);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, port: 8787 }));
    const result = await start([], { PORT: String(await freePort()), SEED_PORT: String(await freePort()) });
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toMatch(new RegExp(`^storywire did not start: another \`npm start\` \\(process ${process.pid}, http://localhost:8787\\) is using`));
    expect(contents(stateDir)).toEqual(before);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toEqual({ pid: process.pid, port: 8787 });
  });

  it.each([[[]], [['--keep-state']]])('when wrangler fails after the state was set aside (%j): the state is put back', async (args) => {
    seedState(stateDir);
    const before = contents(stateDir);
    const bin = failingWrangler();
    const result = await start(args, { PORT: String(await freePort()), SEED_PORT: String(await freePort()), PATH: `${bin}:${process.env.PATH}` });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('fake wrangler: cannot start');
    expect(lastLine(result.stderr)).toMatch(/^storywire did not start: wrangler dev exited \(code 1\) before the Worker answered/);
    expect(contents(stateDir)).toEqual(before);
    expect(existsSync(demoState(stateDir).backup)).toBe(false);
    expect(existsSync(demoState(stateDir).lock)).toBe(false);
  });

  it('when wrangler fails and there was no state: there is none after', async () => {
    const bin = failingWrangler();
    const result = await start([], { PORT: String(await freePort()), SEED_PORT: String(await freePort()), PATH: `${bin}:${process.env.PATH}` });
    expect(result.status).toBe(1);
    expect(existsSync(stateDir)).toBe(false);
    expect(existsSync(demoState(stateDir).backup)).toBe(false);
  });
});

describe('start checks', () => {
  it('read ports, --var arguments and wrangler.toml [vars] as wrangler does', () => {
    expect(portOf('PORT', undefined, 8787)).toBe(8787);
    expect(portOf('PORT', '8790', 8787)).toBe(8790);
    expect(portOf('PORT', '70000', 8787)).toMatch(/from 1 to 65535/);
    expect(varsFromArgs(['--var', 'A:1', 'B:x:y', '--port', '1', '--var=C:3', '--var', 'D'])).toEqual({ A: '1', B: 'x:y', C: '3' });
    const toml = [
      'name = "x"', '[vars]', 'SITE_TITLE = "News \\"wire\\""', "SOURCES = '''[", '  "https://a.example/feed"', "]'''", "PUBLIC_URL = 'https://n.example'",
      'MAX_STORIES = "lots"  # a comment', '[[kv_namespaces]]', 'binding = "STATE"',
    ].join('\n');
    expect(tomlVars(toml)).toEqual({ SITE_TITLE: 'News "wire"', SOURCES: '[\n  "https://a.example/feed"\n]', PUBLIC_URL: 'https://n.example', MAX_STORIES: 'lots' });
    expect(tomlVars(readFileSync(join(root, 'wrangler.toml'), 'utf8'))).toMatchObject({ SITE_TITLE: 'storywire', SOURCES: '[]' });
  });

  it('take a dead process\'s lock for no one\'s', () => {
    const state = demoState(join(work, 'dead-lock', 'demo-state'));
    mkdirSync(join(work, 'dead-lock'), { recursive: true });
    writeFileSync(state.lock, JSON.stringify({ pid: 2 ** 22 + 12345, port: 1 }));
    expect(lockHolder(state)).toBeNull();
  });
});
