// A simple fingerprint of the machine a run ran on: two runs are only worth comparing when
// the generator and the target ran on the same kind of machine. Recorded in run.json `machine`.
import { arch, cpus, platform, release, totalmem } from 'node:os';

export interface MachineFingerprint {
  cpuModel: string;
  cores: number;
  /** Total memory, rounded to GiB (free memory moves; the installed amount does not). */
  memoryGiB: number;
  os: string;
  node: string;
  k6: string;
}

export function machineFingerprint(k6Version: string): MachineFingerprint {
  const list = cpus();
  return {
    cpuModel: (list[0]?.model ?? 'unknown').trim().replace(/\s+/g, ' '),
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    k6: k6Version,
  };
}

/** One key per machine kind: every field counts. */
export function machineKey(m: MachineFingerprint): string {
  return JSON.stringify([m.cpuModel, m.cores, m.memoryGiB, m.os, m.node, m.k6]);
}

/** Same machine kind: every field equal. Missing fingerprints are never the same machine. */
export function sameMachine(a: MachineFingerprint | undefined, b: MachineFingerprint | undefined): boolean {
  return !!a && !!b && machineKey(a) === machineKey(b);
}

export function describeMachine(m: MachineFingerprint | undefined): string {
  return m ? `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, k6 ${m.k6}` : 'unknown machine (no `machine` in run.json)';
}
