// Command-line entry of the reference register server. Prints exactly one line to stdout,
// "listening on <url>", once it accepts connections; everything else goes to stderr.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig, usage } from './config.ts';
import { startServer } from './server.ts';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) process.stderr.write(`reference-server: error: ${problem}\n`);
      return 2;
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const config = parsed.config;
  if (parsed.tempDataDir) {
    // Our own temp folder (wallet keys in it): removed however this process ends, short of
    // kill -9; then the owner file lets the next runner's sweep (tools/runner/reference-server.ts) remove it.
    writeFileSync(join(config.dataDir, 'owner.pid'), String(process.pid), { mode: 0o600 });
    process.once('exit', () => rmSync(config.dataDir, { recursive: true, force: true }));
  }
  let server;
  try {
    server = await startServer(config);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') process.stderr.write(`reference-server: error: ${config.host}:${config.port} is already in use; pick another --port (0 = any free port).\n`);
    else if (e.code === 'EACCES') process.stderr.write(`reference-server: error: no permission to listen on ${config.host}:${config.port} or to use --data-dir ${config.dataDir}.\n`);
    else if (e.code === 'SQLITE_CANTOPEN' || e.code === 'ENOENT' || e.code === 'ENOTDIR')
      process.stderr.write(`reference-server: error: cannot open the database in --data-dir ${config.dataDir}: ${e.message}\n`);
    else process.stderr.write(`reference-server: error: could not start: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`reference-server: data dir ${config.dataDir}; dockets every ${config.docketTimeMs} ms or ${config.docketSize} transactions\n`);
  process.stdout.write(`listening on ${server.url}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`reference-server: ${signal}: finishing in-flight requests and closing\n`);
      server.close().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`reference-server: error while closing: ${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGHUP', () => stop('SIGHUP'));
    if (parsed.exitWithParent) {
      // The runner that started us keeps our stdin open; it closes when the runner dies, even by kill -9.
      process.stdin.resume();
      process.stdin.once('end', () => stop('parent gone (stdin closed)'));
      process.stdin.once('error', () => stop('parent gone (stdin error)'));
    }
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`reference-server: unexpected error: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
