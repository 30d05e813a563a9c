// Samples a server that runs as a container (docker-compose.yml's reference-server, or a
// platform's own) into the same resources.csv as the by-pid monitor (resource-monitor.ts; the
// columns are cli/figures/resources.ts's): CPU % and memory from `docker stats`, open files from
// the container's main process (`docker exec … ls /proc/1/fd`), the host pid from
// `docker inspect`. MONITOR_CONTAINER=<name or id> turns it on for runner runs.
import { execFile } from 'node:child_process';
import { accessSync, appendFileSync, constants, writeFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { RESOURCE_COLUMNS } from '../../cli/figures/resources.ts';
import { DEFAULT_SAMPLE_MS, type ResourceMonitor } from './resource-monitor.ts';

/** Docker's container names and ids: [a-zA-Z0-9][a-zA-Z0-9_.-]+. */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const DOCKER_TIMEOUT_MS = 10_000;

/** Docker's binary size units (go-units BytesSize / HumanSize), as `docker stats` prints them. */
const UNITS: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
};

export interface DockerStatsSample {
  cpuPercent: number;
  memoryBytes: number;
}

/** "41.2MiB" → bytes; throws naming the text on anything else. */
export function parseDockerSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(text);
  const factor = m ? UNITS[m[2]!] : undefined;
  if (!m || factor === undefined) throw new Error(`not a docker size: ${JSON.stringify(text)} (expected e.g. 41.2MiB)`);
  return Number(m[1]) * factor;
}

/**
 * One line of `docker stats --no-stream --format '{{json .}}' <container>`:
 * {"CPUPerc":"12.34%","MemUsage":"41.2MiB / 7.6GiB",…}. The memory used (the part before the
 * slash) is the container's memory without page cache, the counterpart of a process's RSS.
 */
export function parseDockerStatsLine(line: string): DockerStatsSample {
  let doc: { CPUPerc?: unknown; MemUsage?: unknown };
  try {
    doc = JSON.parse(line) as typeof doc;
  } catch {
    throw new Error(`docker stats printed no JSON line: ${JSON.stringify(line.slice(0, 200))}`);
  }
  const cpu = typeof doc.CPUPerc === 'string' ? /^\s*(\d+(?:\.\d+)?)%\s*$/.exec(doc.CPUPerc) : null;
  if (!cpu) throw new Error(`docker stats: CPUPerc ${JSON.stringify(doc.CPUPerc)} is not a percentage`);
  if (typeof doc.MemUsage !== 'string' || !doc.MemUsage.includes('/')) throw new Error(`docker stats: MemUsage ${JSON.stringify(doc.MemUsage)} is not "used / limit"`);
  return { cpuPercent: Number(cpu[1]), memoryBytes: parseDockerSize(doc.MemUsage.split('/')[0]!) };
}

/**
 * MONITOR_CONTAINER: unset or "" = off; else a container name or id, and the docker CLI must be
 * on PATH. Throws naming the variable and the fix, before anything is written.
 */
export function monitorContainerFromEnv(env: NodeJS.ProcessEnv, dockerOnPath: () => boolean = hasDockerCli): string | undefined {
  const raw = env.MONITOR_CONTAINER?.trim();
  if (!raw) return undefined;
  if (!CONTAINER_NAME.test(raw)) {
    throw new Error(
      `MONITOR_CONTAINER=${JSON.stringify(raw)} is not a container name or id. Fix: the name \`docker ps\` shows, e.g. MONITOR_CONTAINER=ledger-perf-watch-reference-server-1, or unset it`,
    );
  }
  if (!dockerOnPath()) {
    throw new Error(`MONITOR_CONTAINER=${raw} samples the container with the docker CLI, and there is no \`docker\` on PATH. Fix: install the Docker CLI, or unset MONITOR_CONTAINER`);
  }
  return raw;
}

/** Is there an executable `docker` in a PATH folder (the way execFile will look for it)? */
export function hasDockerCli(path = process.env.PATH ?? ''): boolean {
  return path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(join(dir, 'docker'), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function docker(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { encoding: 'utf8', timeout: DOCKER_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) reject(new Error(`docker ${args[0]}: ${(stderr || err.message).trim()}`));
      else resolve(stdout);
    });
  });
}

export interface ContainerMonitorOptions {
  container: string;
  file: string;
  intervalMs?: number;
  warn?: (message: string) => void;
}

/** Samples `container` every intervalMs into `file` until stop(); a failing sample stops it with a warning. */
export function startContainerMonitor(options: ContainerMonitorOptions): ResourceMonitor {
  const { container, file } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_MS;
  const startMs = Date.now();
  writeFileSync(file, `${RESOURCE_COLUMNS.join(',')}\n`);
  let count = 0;
  let stopped = false;
  let inFlight: Promise<void> | undefined;
  const pid = docker(['inspect', '--format', '{{.State.Pid}}', container]).then((out) => Number(out.trim()));

  const fail = (err: unknown): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    options.warn?.(`resource monitor: container ${container} can no longer be sampled (${(err as Error).message}); ${basename(file)} keeps ${count} sample(s)`);
  };
  const sample = async (): Promise<void> => {
    // `docker stats --no-stream` itself takes about a second: never two at once.
    const [stats, fds, hostPid] = await Promise.all([docker(['stats', '--no-stream', '--format', '{{json .}}', container]), docker(['exec', container, 'sh', '-c', 'ls /proc/1/fd | wc -l']), pid]);
    if (stopped) return;
    const { cpuPercent, memoryBytes } = parseDockerStatsLine(stats.trim().split('\n')[0] ?? '');
    const openFiles = Number(fds.trim());
    if (!Number.isInteger(openFiles)) throw new Error(`open files: ${JSON.stringify(fds.trim())} is not a count`);
    const atMs = Date.now();
    count++;
    appendFileSync(file, `${[new Date(atMs).toISOString(), ((atMs - startMs) / 1000).toFixed(3), hostPid, cpuPercent.toFixed(2), Math.round(memoryBytes), openFiles].join(',')}\n`);
  };
  const tick = (): void => {
    if (stopped || inFlight) return;
    inFlight = sample()
      .catch(fail)
      .finally(() => {
        inFlight = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();

  return {
    async stop() {
      if (stopped) return;
      clearInterval(timer);
      await inFlight;
      if (!stopped) {
        tick(); // the sample at the end of the run, as the by-pid monitor takes one
        await inFlight;
      }
      stopped = true;
    },
    samples: () => count,
  };
}
