// The CLIs fail in one line that names the option to fix, and exit non-zero: a missing data
// folder (train, the benches that read the labelled sets), a missing input (cluster), an
// unknown bench. `bench --help` lists the benches. Each case runs the script itself under tsx.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const empty = mkdtempSync(join(tmpdir(), 'storywire-cli-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

function run(script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, script), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (status) => ok({ status, stdout, stderr }));
  });
}

const BENCHES = ['parse', 'cluster', 'render', 'hostile', 'run', 'stages', 'fanout', 'free'];

describe('the CLIs', () => {
  it('train without its data folder: one line naming --data, exit 1', async () => {
    const result = await run('scripts/train.ts', ['--data', empty]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^train: no .*; pass --data DIR/);
  });

  it('a bench that reads the labelled sets, without them: one line naming --data, exit 1, before any bench runs', async () => {
    const result = await run('bench/index.ts', ['run', '--data', empty]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^bench: no .*; pass --data DIR/);
  });

  it('cluster with a missing input names --input, exit non-zero', async () => {
    const result = await run('scripts/cluster.ts', ['--input', join(empty, 'none.jsonl'), '--output', join(empty, 'out.jsonl')]);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe(`cluster: --input ${join(empty, 'none.jsonl')}: no such file`);
  });

  it('bench --help lists every bench and exits 0; an unknown name exits 2 with the list', async () => {
    const help = await run('bench/index.ts', ['--help']);
    expect(help.status).toBe(0);
    for (const name of BENCHES) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));

    const unknown = await run('bench/index.ts', ['nosuch']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe(`bench: no bench named "nosuch"; the benches are ${BENCHES.join(', ')} (npm run bench -- --help)`);
  });
});
