// Starts a worker thread running a TypeScript module. Node 20 does not apply the parent's
// `--import tsx` loader to worker threads, so the worker first registers tsx's loader itself.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTsWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  // Compiled to plain JavaScript (dist/node/reference-server/, tools/build/compile-node.mjs): the
  // worker is the compiled .js beside this bundle, and tsx (a dev tool) may not be installed.
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(moduleUrl.href.replace(/\.ts$/, '.js')), options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(source, { ...options, eval: true });
}
