// Samples a process (by pid, from /proc) during a run: CPU %, resident memory and open file
// descriptors, every few seconds, one CSV row per sample. The runner uses it twice: the local
// server into <runDir>/resources.csv (seed 000's monitor-resources; figures in
// cli/figures/resources.ts, which owns the column list) and k6 itself into <runDir>/generator.csv
// (the generator-saturation figure, cli/figures/generator.ts; same columns).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { RESOURCE_COLUMNS } from '../../cli/figures/resources.ts';

export const DEFAULT_SAMPLE_MS = 2000;

export interface ResourceMonitorOptions {
  pid: number;
  file: string;
  intervalMs?: number;
  /** Told once when sampling stops early (the process went away, /proc unreadable). */
  warn?: (message: string) => void;
  /**
   * The process is expected to end before stop() (k6 sampled by the runner that spawned it): its
   * going away ends the sampling quietly, keeping what was sampled; only a process that cannot be
   * read at all is warned about.
   */
  endsOnItsOwn?: boolean;
}

export interface ResourceMonitor {
  /** Takes a last sample (when the process is still there) and stops. */
  stop(): Promise<void>;
  samples(): number;
}

interface ProcReading {
  cpuTicks: number;
  rssBytes: number;
  openFiles: number;
  atMs: number;
}

let clockTicks: number | undefined;
/** USER_HZ, the unit of /proc/<pid>/stat CPU times (100 on every common Linux). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(r.stdout?.trim());
    clockTicks = r.status === 0 && n > 0 ? n : 100;
  }
  return clockTicks;
}

function read(pid: number): ProcReading {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssKb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  // A process that has exited but is not yet reaped (a zombie) has no memory: not a sample.
  if (!rssKb) throw new Error('the process has exited (no VmRSS)');
  return {
    cpuTicks: utime + stime,
    rssBytes: Number(rssKb[1]) * 1024,
    openFiles: readdirSync(`/proc/${pid}/fd`).length,
    atMs: Date.now(),
  };
}

/** True when this machine can be sampled this way (Linux /proc). */
export function canMonitor(pid: number): boolean {
  return existsSync(`/proc/${pid}/stat`);
}

export function startResourceMonitor(options: ResourceMonitorOptions): ResourceMonitor {
  const { pid, file } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_MS;
  const startMs = Date.now();
  const hz = ticksPerSecond();
  writeFileSync(file, `${RESOURCE_COLUMNS.join(',')}\n`);
  let previous: ProcReading | undefined;
  let count = 0;
  let stopped = false;
  try {
    previous = read(pid);
  } catch (err) {
    stopped = true;
    options.warn?.(`resource monitor: cannot read /proc/${pid} (${(err as Error).message}); ${basename(file)} has no samples`);
  }

  const sample = (): void => {
    if (stopped || !previous) return;
    let now: ProcReading;
    try {
      now = read(pid);
    } catch (err) {
      stopped = true;
      clearInterval(timer);
      if (options.endsOnItsOwn) return;
      options.warn?.(`resource monitor: pid ${pid} can no longer be read (${(err as Error).message}); sampling stopped`);
      return;
    }
    const wallS = (now.atMs - previous.atMs) / 1000;
    const cpuPercent = wallS > 0 ? ((now.cpuTicks - previous.cpuTicks) / hz / wallS) * 100 : 0;
    previous = now;
    count++;
    const row = [new Date(now.atMs).toISOString(), ((now.atMs - startMs) / 1000).toFixed(3), pid, cpuPercent.toFixed(2), now.rssBytes, now.openFiles];
    appendFileSync(file, `${row.join(',')}\n`);
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();

  return {
    async stop() {
      if (stopped) return;
      clearInterval(timer);
      sample();
      stopped = true;
    },
    samples: () => count,
  };
}
