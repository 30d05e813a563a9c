// Keeps the three runtimes apart, following every import transitively from each folder's files:
//   inside k6   scenarios/, lib/k6/ (and k6 fixtures/benchmarks): no Node module, no Node global;
//   pure        lib/shared/: neither k6 nor Node, so both runtimes can import it;
//   Node        cli/, reference-server/, tools/, bench/, test/: never k6, never lib/k6/;
//               the engine, cli/, never imports tools/ (tools/ imports cli/), and no file in
//               tools/ reads k6 output itself (no JSON or gzip parsing: cli/ does it).
// A file is judged by everything it pulls in, so a pure-looking helper that imports a k6-only
// module makes its Node importer fail here, not at run time.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../helpers/paths.ts';

function sourceFiles(dir: string): string[] {
  const root = join(projectRoot, dir);
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(relative(projectRoot, path));
    return /\.(ts|mts|mjs|js)$/.test(name) && !/\.d\.m?ts$/.test(name) ? [path] : [];
  });
}

const IMPORT = /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * Import specifiers of a file that exist at run time: comments, type-only imports (erased) and
 * template strings (k6 scripts that tests write out and run) aside.
 */
function importsOf(text: string): string[] {
  const code = text
    .replace(/`[^`]*`/g, '``')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/^\s*(?:import|export)\s+type\s[^;]*;/gm, '');
  return [...code.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

const NODE_BUILTINS = new Set(builtinModules);
const isNodeModule = (s: string) => s.startsWith('node:') || NODE_BUILTINS.has(s.split('/')[0]!);
const isK6Module = (s: string) => s === 'k6' || s.startsWith('k6/');
// require('./x') of a project file is bundled by esbuild (a lazy module), never seen by k6.
const NODE_GLOBALS = /\b(process\.(env|argv|exit|cwd|pid|platform)|Buffer\.|__dirname|__filename|require\((?!\s*['"]\.))/;

interface Reach {
  /** Project files reached, the start included. */
  files: string[];
  /** Bare specifiers (npm packages, node:*, k6/*) reached, with the file that imports each. */
  bare: Array<{ spec: string; from: string }>;
}

const reachCache = new Map<string, Reach>();

/** Everything a file pulls in: project files by relative import, and the bare modules they name. */
function reach(start: string): Reach {
  const cached = reachCache.get(start);
  if (cached) return cached;
  const seen = new Set<string>();
  const bare: Reach['bare'] = [];
  const stack = [start];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(ts|mts|mjs|js)$/.test(file)) continue; // JSON and other data: nothing to follow
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        bare.push({ spec, from: file });
        continue;
      }
      const target = resolve(dirname(file), spec);
      const found = [target, `${target}.ts`, `${target}.mjs`, `${target}.js`, join(target, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
      if (found) stack.push(found);
    }
  }
  const result = { files: [...seen], bare };
  reachCache.set(start, result);
  return result;
}

const rel = (f: string) => relative(projectRoot, f);
const under = (f: string, dir: string) => rel(f).startsWith(dir.endsWith('/') ? dir : dir + sep);

const k6Entries = [...sourceFiles('scenarios'), ...sourceFiles('lib/k6'), ...sourceFiles('bench/k6'), ...sourceFiles('test/scenarios/fixtures'), ...sourceFiles('test/tools/fixtures')].filter((f) =>
  f.endsWith('.ts'),
);
const pureFiles = sourceFiles('lib/shared');
const nodeEntries = ['cli', 'reference-server', 'tools', 'bench', 'test'].flatMap(sourceFiles).filter((f) => !under(f, 'bench/k6') && !/\/fixtures\//.test(f) && !under(f, 'test/project'));

describe('runtime boundaries (imports followed transitively)', () => {
  it('finds the sources it guards', () => {
    assert.ok(k6Entries.some((f) => f.endsWith('scenarios/mixed-workload.ts')));
    assert.ok(pureFiles.some((f) => f.endsWith('lib/shared/slo.ts')));
    assert.ok(nodeEntries.some((f) => f.endsWith('cli/main.ts')) && nodeEntries.some((f) => f.endsWith('reference-server/main.ts')));
  });

  it('code that runs inside k6 reaches no Node module and uses no Node global', () => {
    const offenders = new Set<string>();
    for (const entry of k6Entries) {
      const r = reach(entry);
      for (const b of r.bare) if (isNodeModule(b.spec)) offenders.add(`${rel(entry)} → ${rel(b.from)} imports ${b.spec}`);
      for (const f of r.files) if (/\.(ts|mts|mjs|js)$/.test(f) && NODE_GLOBALS.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, ''))) offenders.add(`${rel(entry)} → ${rel(f)} uses a Node global`);
    }
    assert.deepEqual([...offenders], []);
  });

  it('lib/shared/ is pure: it reaches neither k6 nor Node, nor lib/k6/', () => {
    const offenders = new Set<string>();
    for (const file of pureFiles) {
      const r = reach(file);
      for (const b of r.bare) if (isK6Module(b.spec) || isNodeModule(b.spec)) offenders.add(`${rel(file)} → ${rel(b.from)} imports ${b.spec}`);
      for (const f of r.files) if (under(f, 'lib/k6') || under(f, 'scenarios')) offenders.add(`${rel(file)} reaches ${rel(f)}`);
    }
    assert.deepEqual([...offenders], []);
  });

  it('Node code (cli/, reference-server/, tools/, bench/, test/) never reaches k6 or lib/k6/', () => {
    const offenders = new Set<string>();
    for (const entry of nodeEntries) {
      const r = reach(entry);
      for (const b of r.bare) if (isK6Module(b.spec)) offenders.add(`${rel(entry)} → ${rel(b.from)} imports ${b.spec}`);
      for (const f of r.files) if (under(f, 'lib/k6') || under(f, 'scenarios')) offenders.add(`${rel(entry)} reaches ${rel(f)}`);
    }
    assert.deepEqual([...offenders], []);
  });

  it('the engine (cli/) never reaches tools/ (runner, build, install): tools use the engine, not the other way round', () => {
    const offenders = new Set<string>();
    for (const entry of nodeEntries.filter((f) => under(f, 'cli'))) {
      for (const f of reach(entry).files) if (under(f, 'tools')) offenders.add(`${rel(entry)} reaches ${rel(f)}`);
    }
    assert.deepEqual([...offenders], []);
  });

  it('no file under tools/ reads k6 output itself: it neither decompresses nor parses JSON, cli/ does', () => {
    // Two named exceptions. The live progress line reads k6's REST API while a run is in progress
    // (an indication on the terminal, never a figure or a verdict). The container monitor reads
    // docker's own JSON (`docker stats --format '{{json .}}'`), not k6's, into resources.csv.
    const LIVE_PROGRESS = 'tools/runner/progress.ts';
    const DOCKER_STATS = 'tools/runner/resource-monitor-docker.ts';
    const offenders: string[] = [];
    for (const file of sourceFiles('tools').filter((f) => !under(f, 'tools/install'))) {
      const text = readFileSync(file, 'utf8');
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const spec of importsOf(text)) if (/^(node:)?zlib$/.test(spec)) offenders.push(`${rel(file)} imports ${spec}`);
      if (/\bcreateGunzip\b|\bgunzipSync\b/.test(code) || (rel(file) !== DOCKER_STATS && /\bJSON\.parse\(/.test(code))) offenders.push(`${rel(file)} parses JSON or gzip`);
      if (rel(file) !== LIVE_PROGRESS && /\.json\(\)/.test(code)) offenders.push(`${rel(file)} parses a JSON response`);
    }
    assert.deepEqual(offenders, []);
  });

  it('the scanner follows a chain of imports and sees through comments', () => {
    const sample =
      "const script = `import http from 'k6/http';`;\n// import x from 'node:fs';\nimport type { Options } from 'k6/options';\nimport fs from 'node:fs';\nimport http from 'k6/http';\nimport './side-effect.ts';\nconst x = await import('k6/metrics');";
    assert.deepEqual(importsOf(sample), ['node:fs', 'k6/http', './side-effect.ts', 'k6/metrics']);
    // A real chain: a scenario reaches lib/shared/ through lib/k6/.
    assert.ok(reach(join(projectRoot, 'scenarios', 'mixed-workload.ts')).files.some((f) => under(f, 'lib/shared')));
  });
});
