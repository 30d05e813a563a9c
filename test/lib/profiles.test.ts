// Profiles under Node: every profile's generated k6 scenarios (shape, totals, peaks, tags),
// the seed numbers they must reproduce, the env scale knobs and their error messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario } from 'k6/options';
import { parseDurationSeconds } from '../../lib/shared/profiles/duration.ts';
import { buildScenarios, describeProfile, profileNames, profileThresholds, scheduledTargetAt } from '../../lib/shared/profiles.ts';

const seconds = (d: string | undefined) => {
  const s = parseDurationSeconds(d ?? '');
  assert.notEqual(s, undefined, `not a duration: ${d}`);
  return s!;
};

/** Schedule length of a scenario as k6 would run it (without gracefulStop). */
function scheduleSeconds(sc: Scenario): number {
  switch (sc.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return seconds(sc.maxDuration);
    case 'constant-vus':
    case 'constant-arrival-rate':
      return seconds(sc.duration);
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return sc.stages.reduce((sum, st) => sum + seconds(st.duration), 0);
  }
}

function peakVUs(sc: Scenario): number {
  switch (sc.executor) {
    case 'ramping-vus':
      return Math.max(sc.startVUs ?? 1, ...sc.stages.map((s) => s.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return sc.maxVUs ?? sc.preAllocatedVUs;
    default:
      return sc.vus ?? 1;
  }
}

function peakRate(sc: Scenario): number {
  if (sc.executor === 'constant-arrival-rate') return sc.rate;
  if (sc.executor === 'ramping-arrival-rate') return Math.max(sc.startRate ?? 0, ...sc.stages.map((s) => s.target));
  return 0;
}

const end = (sc: Scenario) => seconds(sc.startTime ?? '0s') + scheduleSeconds(sc);
const totalOf = (scs: Record<string, Scenario>) => Math.max(...Object.values(scs).map(end));

describe('every profile', () => {
  for (const name of profileNames) {
    it(`${name}: bounded scenarios, tagged with the profile, consistent with describeProfile`, () => {
      const scs = buildScenarios(name, {}, 'run');
      const d = describeProfile(name, {});
      assert.deepEqual(
        Object.keys(scs),
        d.steps.map((s) => s.scenario),
      );
      for (const [scName, sc] of Object.entries(scs)) {
        assert.match(scName, /^[0-9A-Za-z_-]+$/, 'k6 scenario names allow only [0-9A-Za-z_-]');
        assert.equal(sc.exec, 'run');
        assert.equal(sc.tags?.profile, name);
        assert.ok(scheduleSeconds(sc) >= 1, `${scName} has a bounded, positive schedule`);
        assert.ok(seconds(sc.gracefulStop) >= 1);
        if (sc.executor === 'constant-arrival-rate' || sc.executor === 'ramping-arrival-rate') {
          assert.ok(sc.preAllocatedVUs >= 1 && (sc.maxVUs ?? 0) >= sc.preAllocatedVUs, `${scName}: 1 <= preAllocatedVUs <= maxVUs`);
          assert.equal(sc.timeUnit, '1s');
        }
      }
      assert.equal(totalOf(scs), d.totalSeconds);
      // A step that starts inside the previous one's gracefulStop (continuous) may run beside its last VUs.
      const list = Object.values(scs);
      const overlapped = list.map((sc, i) => peakVUs(sc) + (i > 0 && seconds(sc.startTime) < end(list[i - 1]!) + seconds(list[i - 1]!.gracefulStop) ? peakVUs(list[i - 1]!) : 0));
      assert.equal(Math.max(...overlapped), d.peakVUs);
      assert.equal(Math.max(...Object.values(scs).map(peakRate)), d.peakRate);
    });

    it(`${name}: scales down to a seconds-long run`, () => {
      const env = { DURATION_SCALE: '0.001', VUS_SCALE: '0.01', RATE_SCALE: '0.01' };
      const d = describeProfile(name, env);
      // Every step shrinks to whole seconds (>= 1 s per stage); smoke keeps a 10 s time cap.
      assert.ok(d.maxWallSeconds <= 40, `${name} scaled lasts at most ${d.maxWallSeconds}s`);
      // Open-model VU pools are sized for 2 s worst-case latency: 50 it/s → up to 100 VUs.
      assert.ok(d.peakVUs <= (d.model === 'open' ? 100 : 10) && d.peakRate <= 50, `${name} scaled peaks at ${d.peakVUs} VUs / ${d.peakRate} it/s`);
    });
  }
});

describe('seed numbers', () => {
  it('ramp-up: 10 → 500 VUs over 10 minutes (seed 001)', () => {
    const sc = buildScenarios('ramp-up', {})['ramp-up']!;
    assert.equal(sc.executor, 'ramping-vus');
    if (sc.executor !== 'ramping-vus') return;
    assert.deepEqual(sc.stages, [
      { duration: '10s', target: 10 },
      { duration: '10m', target: 500 },
    ]);
  });

  it('steady: 500 VUs for 30 minutes (seed 001)', () => {
    const sc = buildScenarios('steady', {}).steady!;
    assert.deepEqual({ executor: sc.executor, vus: sc.executor === 'constant-vus' ? sc.vus : 0, total: scheduleSeconds(sc) }, { executor: 'constant-vus', vus: 500, total: 1800 });
  });

  it('spike: 100 → 1000 → 100 VUs (seed 001 stages 30s:100, 60s:1000, 90s:100)', () => {
    const sc = buildScenarios('spike', {}).spike!;
    assert.ok(sc.executor === 'ramping-vus');
    assert.deepEqual(
      sc.stages.map((s) => [seconds(s.duration), s.target]),
      [
        [30, 100],
        [60, 1000],
        [90, 100],
      ],
    );
  });

  it('average: ramps take 5–15 % of the run each', () => {
    const sc = buildScenarios('average', {}).average!;
    assert.ok(sc.executor === 'ramping-vus');
    const total = scheduleSeconds(sc);
    const [up, , down] = sc.stages.map((s) => seconds(s.duration));
    for (const ramp of [up!, down!]) assert.ok(ramp / total >= 0.05 && ramp / total <= 0.15);
    assert.equal(sc.stages.at(-1)!.target, 0);
  });

  it('TPS tiers: 100 for 5 min, 500 for 15, 1000 for 30, 1000 for 2 h, ramp 0 → 1000 → 2000 → 5000, tagged step (seed 004)', () => {
    const scs = buildScenarios('tps-steps', {});
    const got = Object.values(scs).map((sc) => [sc.tags?.step, sc.executor, peakRate(sc), scheduleSeconds(sc)]);
    assert.deepEqual(got, [
      ['baseline', 'constant-arrival-rate', 100, 300],
      ['scale', 'constant-arrival-rate', 500, 900],
      ['target', 'constant-arrival-rate', 1000, 1800],
      ['endurance', 'constant-arrival-rate', 1000, 7200],
      ['stress', 'ramping-arrival-rate', 5000, 1800],
    ]);
    const stress = scs['tps-steps_stress']!;
    assert.ok(stress.executor === 'ramping-arrival-rate');
    assert.deepEqual(
      stress.stages.map((s) => s.target),
      [1000, 2000, 5000],
    );
    // Steps never overlap: each starts after the previous one's schedule plus its gracefulStop.
    const list = Object.values(scs);
    for (let i = 1; i < list.length; i++) assert.equal(seconds(list[i]!.startTime), end(list[i - 1]!) + seconds(list[i - 1]!.gracefulStop));
    // Except a continuous step: burst-recovery's recovery starts the moment the burst's schedule ends.
    const br = buildScenarios('burst-recovery', {});
    assert.equal(seconds(br['burst-recovery_burst']!.startTime), end(br['burst-recovery_baseline']!) + seconds(br['burst-recovery_baseline']!.gracefulStop));
    assert.equal(seconds(br['burst-recovery_recovery']!.startTime), end(br['burst-recovery_burst']!));
    for (const [single, rate, secs] of [
      ['tps-baseline', 100, 300],
      ['tps-scale', 500, 900],
      ['tps-target', 1000, 1800],
      ['tps-endurance', 1000, 7200],
    ] as const) {
      const sc = buildScenarios(single, {})[single]!;
      assert.deepEqual([peakRate(sc), scheduleSeconds(sc)], [rate, secs], single);
    }
  });

  it('user levels: 50/200/500/1000 users spawned at 5/10/20/50 per s, 5/10/15/20 min, tagged level (seed 003)', () => {
    const scs = buildScenarios('user-levels', {});
    const got = Object.values(scs).map((sc) => {
      assert.ok(sc.executor === 'ramping-vus');
      const [spawn, hold] = sc.stages;
      return {
        level: sc.tags?.level,
        users: spawn!.target,
        spawnRate: spawn!.target / seconds(spawn!.duration),
        minutes: (seconds(spawn!.duration) + seconds(hold!.duration)) / 60,
        held: hold!.target,
      };
    });
    assert.deepEqual(got, [
      { level: 'light', users: 50, spawnRate: 5, minutes: 5, held: 50 },
      { level: 'medium', users: 200, spawnRate: 10, minutes: 10, held: 200 },
      { level: 'heavy', users: 500, spawnRate: 20, minutes: 15, held: 500 },
      { level: 'stress', users: 1000, spawnRate: 50, minutes: 20, held: 1000 },
    ]);
    assert.deepEqual(
      Object.values(buildScenarios('users-heavy', {})).map((s) => s.tags?.level),
      ['heavy'],
    );
  });

  it('concurrency steps: 1, 5, 10, 25, 50 workers tagged concurrency; CONCURRENCY_LEVELS overrides', () => {
    const tagsOf = (env = {}) => Object.values(buildScenarios('concurrency-steps', env)).map((sc) => [sc.tags?.concurrency, sc.executor === 'constant-vus' ? sc.vus : -1]);
    assert.deepEqual(tagsOf(), [
      ['1', 1],
      ['5', 5],
      ['10', 10],
      ['25', 25],
      ['50', 50],
    ]);
    assert.deepEqual(tagsOf({ CONCURRENCY_LEVELS: '10, 25,50' }), [
      ['10', 10],
      ['25', 25],
      ['50', 50],
    ]);
  });

  it('burst-recovery: baseline, burst, recovery phases tagged phase', () => {
    const scs = Object.values(buildScenarios('burst-recovery', {}));
    assert.deepEqual(
      scs.map((s) => [s.tags?.phase, s.executor === 'constant-vus' ? s.vus : -1]),
      [
        ['baseline', 10],
        ['burst', 100],
        ['recovery', 10],
      ],
    );
  });
});

describe('scale knobs', () => {
  it('DURATION_SCALE multiplies every duration (whole seconds, at least 1)', () => {
    const d = describeProfile('steady', { DURATION_SCALE: '0.01' });
    assert.equal(d.totalSeconds, 18);
    assert.equal(describeProfile('spike', { DURATION_SCALE: '0.01' }).totalSeconds, 3, '30/60/90 s stages become 1 s each');
  });

  it('PROFILE_DURATION sets the total length, keeping proportions', () => {
    const d = describeProfile('average', { PROFILE_DURATION: '20s' });
    assert.equal(d.totalSeconds, 20);
    const sc = buildScenarios('average', { PROFILE_DURATION: '20s' }).average!;
    assert.ok(sc.executor === 'ramping-vus');
    assert.deepEqual(
      sc.stages.map((s) => seconds(s.duration)),
      [2, 16, 2],
    );
    assert.equal(describeProfile('tps-steps', { PROFILE_DURATION: '1h' }).durationScale, 3600 / (300 + 900 + 1800 + 7200 + 1800));
  });

  it('VUS_SCALE scales VU targets but keeps zero targets and at least 1 VU', () => {
    const sc = buildScenarios('stress', { VUS_SCALE: '0.01' }).stress!;
    assert.ok(sc.executor === 'ramping-vus');
    assert.deepEqual(
      sc.stages.map((s) => s.target),
      [2, 2, 5, 5, 10, 10, 0],
    );
    assert.equal(describeProfile('smoke', { VUS_SCALE: '0.01' }).peakVUs, 1);
  });

  it('RATE_SCALE scales arrival rates; VU pools follow rate × latency', () => {
    const sc = buildScenarios('tps-target', { RATE_SCALE: '0.1' })['tps-target']!;
    assert.ok(sc.executor === 'constant-arrival-rate');
    assert.equal(sc.rate, 100);
    // 100/s × 250 ms expected latency × 1.5 headroom; up to 100/s × 2 s worst latency.
    assert.equal(sc.preAllocatedVUs, 38);
    assert.equal(sc.maxVUs, 200);
    const tuned = buildScenarios('tps-target', { RATE_SCALE: '0.1', EXPECTED_LATENCY_MS: '20', MAX_LATENCY_MS: '500' })['tps-target']!;
    assert.ok(tuned.executor === 'constant-arrival-rate');
    assert.deepEqual([tuned.preAllocatedVUs, tuned.maxVUs], [3, 50]);
    const capped = buildScenarios('breakpoint', { MAX_VUS: '300' }).breakpoint!;
    assert.ok(capped.executor === 'ramping-arrival-rate');
    assert.deepEqual([capped.preAllocatedVUs, capped.maxVUs], [300, 300]);
  });

  it('ITERATIONS sets the smoke iteration count', () => {
    const sc = buildScenarios('smoke', { ITERATIONS: '3' }).smoke!;
    assert.ok(sc.executor === 'shared-iterations');
    assert.deepEqual([sc.vus, sc.iterations], [1, 3]);
  });

  it('empty env values count as unset (k6 passes -e X= as "")', () => {
    assert.deepEqual(buildScenarios('steady', { VUS_SCALE: '', DURATION_SCALE: ' ' }), buildScenarios('steady', {}));
  });
});

describe('errors', () => {
  it('an unknown profile lists the valid names', () => {
    assert.throws(
      () => buildScenarios('stres', {}),
      (err: Error) => {
        assert.match(err.message, /PROFILE="stres" is not a known profile/);
        for (const n of profileNames) assert.ok(err.message.includes(n), `lists ${n}`);
        return true;
      },
    );
    assert.throws(() => buildScenarios('toString', {}), /not a known profile/);
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ VUS_SCALE: 'abc' }, /VUS_SCALE="abc" is not valid: expected a positive number/],
    [{ RATE_SCALE: '-1' }, /RATE_SCALE="-1" is not valid/],
    [{ DURATION_SCALE: '0' }, /DURATION_SCALE="0" is not valid/],
    [{ PROFILE_DURATION: '10 minutes' }, /PROFILE_DURATION="10 minutes" is not valid: expected a duration .* 30s, 2m or 1h30m/],
    [{ PROFILE_DURATION: '30s', DURATION_SCALE: '0.1' }, /DURATION_SCALE and PROFILE_DURATION are both set.*Fix: set only one/],
    [{ ITERATIONS: '2.5' }, /ITERATIONS="2.5" is not valid: expected a positive whole number/],
    [{ CONCURRENCY_LEVELS: '1,x' }, /CONCURRENCY_LEVELS="1,x" is not valid: expected comma-separated positive whole numbers/],
    [{ MAX_VUS: '0' }, /MAX_VUS="0"/],
    [{ BREAKPOINT_ERROR_RATE: '5' }, /BREAKPOINT_ERROR_RATE="5" is not valid: expected a fraction/],
  ];
  for (const [env, re] of bad) {
    it(`rejects ${JSON.stringify(env)}`, () => assert.throws(() => buildScenarios('average', env), re));
  }
});

describe('profileThresholds', () => {
  it('closed-model profiles need none', () => {
    for (const name of ['smoke', 'average', 'steady', 'spike', 'user-levels', 'concurrency-steps']) assert.deepEqual(profileThresholds(name), {}, name);
  });

  it('open-model steps fail on dropped iterations beyond 0.1 % of the schedule, per scenario', () => {
    assert.deepEqual(profileThresholds('tps-baseline'), { 'dropped_iterations{scenario:tps-baseline}': ['count<=30'] });
    assert.deepEqual(profileThresholds('tps-baseline', { DROPPED_ITERATIONS_MAX: '0' }), { 'dropped_iterations{scenario:tps-baseline}': ['count<=0'] });
    const steps = profileThresholds('tps-steps');
    assert.deepEqual(steps['dropped_iterations{scenario:tps-steps_endurance}'], ['count<=7200']);
  });

  it('breakpoint steps abort on errors, latency and drops, after a scaled delay', () => {
    const t = profileThresholds('breakpoint', { DURATION_SCALE: '0.1', BREAKPOINT_ERROR_RATE: '0.1', BREAKPOINT_P95_MS: '800' });
    assert.deepEqual(t['http_req_failed{scenario:breakpoint}'], [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '3s' }]);
    assert.deepEqual(t['http_req_duration{scenario:breakpoint}'], [{ threshold: 'p(95)<800', abortOnFail: true, delayAbortEval: '3s' }]);
    assert.equal((t['dropped_iterations{scenario:breakpoint}']![0] as { abortOnFail: boolean }).abortOnFail, true);
    assert.ok(profileThresholds('tps-steps')['http_req_failed{scenario:tps-steps_stress}'], 'the stress step of tps-steps aborts too');
    assert.equal(profileThresholds('tps-steps')['http_req_failed{scenario:tps-steps_target}'], undefined, 'steady tiers never abort');
  });
});

describe('scheduledTargetAt', () => {
  it('maps elapsed time onto the ramp: the breaking point of an aborted breakpoint run', () => {
    assert.equal(scheduledTargetAt('breakpoint', {}, 300)!.rate, 500);
    assert.equal(scheduledTargetAt('breakpoint', {}, 900)!.rate, 1500);
    assert.equal(scheduledTargetAt('breakpoint', {}, 1500)!.rate, 3500);
    assert.equal(scheduledTargetAt('breakpoint', {}, 1800), undefined, 'after the schedule');
  });

  it('names the step of a stepped profile', () => {
    const scale = describeProfile('tps-steps', {}).steps[1]!;
    const at = scheduledTargetAt('tps-steps', {}, scale.startSeconds + 10)!;
    assert.deepEqual([at.scenario, at.tags.step, at.rate], ['tps-steps_scale', 'scale', 500]);
    assert.deepEqual(scheduledTargetAt('users-light', {}, 5)!.vus, 25);
  });
});
