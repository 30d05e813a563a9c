// Keeps the three runtimes apart: lib/, scenarios/ and bench/k6/ run inside k6 (no Node modules, no Node
// globals), while reference-server/, cli/ and tools/ run on Node and never import k6.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../helpers/paths.ts';

function sourceFiles(dir: string): string[] {
  const root = join(projectRoot, dir);
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(root, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(projectRoot, path));
    return /\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'zlib', 'events', 'buffer', 'process', 'readline', 'worker_threads']);
const NODE_GLOBALS = /\b(process\.(env|argv|exit|cwd)|Buffer\.|__dirname|__filename|require\()/;

describe('runtime boundaries', () => {
  // bench/k6/ holds k6 scripts for the benchmarks: k6 side too.
  const k6Side = [...sourceFiles('lib'), ...sourceFiles('scenarios'), ...sourceFiles('bench/k6')];

  it('finds the k6-side sources it guards', () => {
    assert.ok(k6Side.some((f) => f.endsWith('mixed-workload.ts')), 'scenarios/mixed-workload.ts should be scanned');
    assert.ok(k6Side.length >= 10);
  });

  it('lib/ and scenarios/ import no Node built-in module', () => {
    const offenders = k6Side.flatMap((f) => importsOf(f).filter((s) => s.startsWith('node:') || NODE_BUILTINS.has(s)).map((s) => `${relative(projectRoot, f)} imports ${s}`));
    assert.deepEqual(offenders, []);
  });

  it('lib/ and scenarios/ use no Node globals', () => {
    const offenders = k6Side.filter((f) => NODE_GLOBALS.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, ''))).map((f) => relative(projectRoot, f));
    assert.deepEqual(offenders, []);
  });

  it('Node-side code (reference-server/, cli/, tools/, bench/) never imports k6', () => {
    const nodeSide = ['reference-server', 'cli', 'tools', 'bench'].flatMap(sourceFiles).filter((f) => !f.startsWith(join(projectRoot, 'bench', 'k6')));
    assert.ok(nodeSide.length > 0);
    const offenders = nodeSide.flatMap((f) => importsOf(f).filter((s) => s === 'k6' || s.startsWith('k6/')).map((s) => `${relative(projectRoot, f)} imports ${s}`));
    assert.deepEqual(offenders, []);
  });

  it('the import scanner itself catches a violation', () => {
    const sample = "import fs from 'node:fs';\nimport http from 'k6/http';\nconst x = await import('k6/metrics');";
    const found = [...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
    assert.deepEqual(found, ['node:fs', 'k6/http', 'k6/metrics']);
  });
});
