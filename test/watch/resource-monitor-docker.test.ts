// A server running as a container is sampled through the docker CLI (docker stats, exec,
// inspect) into resources.csv. There is no Docker engine on the project's machines, so what is
// checked here is what needs none: the reading of docker's output format, and that
// MONITOR_CONTAINER without a docker CLI is refused up front, with the fix and nothing written.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasDockerCli, monitorContainerFromEnv, parseDockerSize, parseDockerStatsLine } from '../../tools/runner/resource-monitor-docker.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';

// The line `docker stats --no-stream --format '{{json .}}' <container>` prints (Docker 20–27).
const STATS_LINE =
  '{"BlockIO":"0B / 0B","CPUPerc":"12.34%","Container":"ledger-perf-watch-reference-server-1","ID":"3f1c2a9b8d7e","MemPerc":"1.05%","MemUsage":"41.2MiB / 3.841GiB","Name":"ledger-perf-watch-reference-server-1","NetIO":"1.2kB / 0B","PIDs":"11"}';

describe('container resource monitor', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-container-monitor-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads docker's sizes and its stats line: CPU % and the memory used (not the limit)", () => {
    assert.equal(parseDockerSize('41.2MiB'), 41.2 * 1024 ** 2);
    assert.equal(parseDockerSize('3.841GiB'), 3.841 * 1024 ** 3);
    assert.equal(parseDockerSize('512KiB'), 512 * 1024);
    assert.equal(parseDockerSize('0B'), 0);
    assert.equal(parseDockerSize('1.2kB'), 1200);
    assert.deepEqual(parseDockerStatsLine(STATS_LINE), { cpuPercent: 12.34, memoryBytes: 41.2 * 1024 ** 2 });
    // More than one core busy reads above 100 %, as in the by-pid monitor.
    assert.equal(parseDockerStatsLine(STATS_LINE.replace('12.34%', '187.50%')).cpuPercent, 187.5);
  });

  it('refuses output it cannot read, naming what it got', () => {
    assert.throws(() => parseDockerSize('41.2 parsecs'), /not a docker size: "41.2 parsecs"/);
    assert.throws(() => parseDockerStatsLine('Error response from daemon: No such container: x'), /docker stats printed no JSON line: "Error response/);
    assert.throws(() => parseDockerStatsLine(STATS_LINE.replace('12.34%', '--')), /CPUPerc "--" is not a percentage/);
    assert.throws(() => parseDockerStatsLine(STATS_LINE.replace('41.2MiB / 3.841GiB', '41.2MiB')), /MemUsage "41.2MiB" is not "used \/ limit"/);
  });

  it('MONITOR_CONTAINER: unset is off; a bad name or a missing docker CLI is an error that says the fix', () => {
    for (const off of [undefined, '', '  '])
      assert.equal(
        monitorContainerFromEnv({ MONITOR_CONTAINER: off }, () => true),
        undefined,
      );
    assert.equal(
      monitorContainerFromEnv({ MONITOR_CONTAINER: 'ledger-perf-watch-reference-server-1' }, () => true),
      'ledger-perf-watch-reference-server-1',
    );
    assert.throws(() => monitorContainerFromEnv({ MONITOR_CONTAINER: 'a; rm -rf /' }, () => true), /MONITOR_CONTAINER="a; rm -rf \/" is not a container name or id\. Fix:/);
    assert.throws(() => monitorContainerFromEnv({ MONITOR_CONTAINER: 'web' }, () => false), /there is no `docker` on PATH\. Fix: install the Docker CLI, or unset MONITOR_CONTAINER/);
  });

  it('finds the docker CLI the way execFile will: an executable named docker in a PATH folder', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    assert.equal(hasDockerCli(`${join(dir, 'nothing-here')}:${bin}`), false);
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\n');
    assert.equal(hasDockerCli(`${join(dir, 'nothing-here')}:${bin}`), false, 'not executable');
    chmodSync(join(bin, 'docker'), 0o755);
    assert.equal(hasDockerCli(`${join(dir, 'nothing-here')}:${bin}`), true);
  });

  it('a runner run with MONITOR_CONTAINER and no docker CLI stops before k6 runs, leaving no run folder', async () => {
    const out = join(dir, 'reports');
    const path = process.env.PATH;
    process.env.MONITOR_CONTAINER = 'ledger-perf-watch-reference-server-1';
    process.env.PATH = join(dir, 'empty-path'); // no docker here, whatever this machine has
    try {
      await assert.rejects(
        runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: 'http://127.0.0.1:9', outDir: out, quiet: true }),
        /MONITOR_CONTAINER=ledger-perf-watch-reference-server-1 samples the container with the docker CLI, and there is no `docker` on PATH/,
      );
    } finally {
      process.env.PATH = path;
      delete process.env.MONITOR_CONTAINER;
    }
    assert.deepEqual(readdirSync(dir).includes('reports') ? readdirSync(out) : [], []);
  });
});
