// Pure parts of the workload catalog: payload-size lists, pacing levels, user-class assignment
// and think times, per-step accepted-transaction thresholds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { perStepAcceptedThresholds } from '../../lib/shared/achieved-tps.ts';
import { EnvKnobs } from '../../lib/shared/env-knobs.ts';
import { PACING_LEVELS, parsePacing, pauseSeconds } from '../../lib/shared/pacing.ts';
import { DEFAULT_PAYLOAD_SIZES, parsePayloadSizes } from '../../lib/shared/payload-sizes.ts';
import { describeProfile } from '../../lib/shared/profiles.ts';
import { classCycle, classOfVu, DEFAULT_CLASS_WEIGHTS, parseClassWeights, parseThinkScale, THINK_RANGES, thinkSeconds, USER_CLASSES } from '../../lib/shared/user-classes.ts';

describe('payload sizes', () => {
  it('the default list is seed 000 ladder in binary units', () => {
    const problems = new EnvKnobs({});
    const sizes = parsePayloadSizes(DEFAULT_PAYLOAD_SIZES, problems);
    assert.deepEqual(problems.problems, []);
    assert.deepEqual(
      sizes.map((s) => [s.label, s.bytes]),
      [
        ['1KB', 1024],
        ['10KB', 10240],
        ['50KB', 51200],
        ['100KB', 102400],
        ['500KB', 512000],
        ['1MB', 1048576],
      ],
    );
  });

  it('normalises case and reports every bad entry with the variable name', () => {
    const problems = new EnvKnobs({});
    const sizes = parsePayloadSizes('2kb, 12, 20MB,2KB', problems);
    assert.deepEqual(
      sizes.map((s) => s.label),
      ['2KB'],
    );
    assert.equal(problems.problems.length, 3);
    assert.match(problems.problems[0]!, /^PAYLOAD_SIZES="2kb, 12, 20MB,2KB" is not valid: expected payload sizes from 64B to 9MB such as 1KB,.* \("12" is not one\)/);
    assert.match(problems.problems[1]!, /"20MB" is not one/);
    assert.match(problems.problems[2]!, /2KB is listed twice/);
  });
});

describe('pacing', () => {
  it('defaults to every level, 5 requests each, unscaled', () => {
    const problems = new EnvKnobs({});
    assert.deepEqual(parsePacing(problems), { levels: [...PACING_LEVELS], requestsPerLevel: 5, scale: 1 });
    assert.deepEqual(problems.problems, []);
  });

  it('accepts a list and rejects unknown levels and bad numbers', () => {
    const problems = new EnvKnobs({ PACING: 'heavy,single,turbo', LATENCY_REQUESTS: '0', PACING_SCALE: '-1' });
    const plan = parsePacing(problems);
    assert.deepEqual(plan.levels, ['heavy', 'single']);
    assert.equal(problems.problems.length, 3);
    assert.match(problems.problems.join('\n'), /PACING="heavy,single,turbo" is not valid: expected all, or pacing levels from single, light, moderate, heavy \("turbo" is not one\)/);
    assert.match(problems.problems.join('\n'), /LATENCY_REQUESTS="0" is not valid: expected a whole number from 1 to 10000/);
    assert.match(problems.problems.join('\n'), /PACING_SCALE="-1" is not valid: expected a number from 0 to 100/);
  });

  it('pauses the rest of the interval, never a negative time, heavier levels pause less', () => {
    assert.equal(pauseSeconds('single', 1, 30), 0.47);
    assert.equal(pauseSeconds('light', 0.1, 5), 0.015);
    assert.equal(pauseSeconds('moderate', 1, 80), 0);
    assert.equal(pauseSeconds('heavy', 1, 0), 0);
    const pauses = PACING_LEVELS.map((l) => pauseSeconds(l, 1, 0));
    assert.deepEqual(
      [...pauses].sort((a, b) => b - a),
      pauses,
    );
  });
});

describe('user classes', () => {
  it('any sum(weights) consecutive VUs match the weights exactly, spread out', () => {
    const cycle = classCycle(DEFAULT_CLASS_WEIGHTS);
    assert.equal(cycle.length, 10);
    for (const start of [1, 4, 17]) {
      const counts = Object.fromEntries(USER_CLASSES.map((c) => [c, 0]));
      for (let vu = start; vu < start + 10; vu++) counts[classOfVu(cycle, vu)]!++;
      assert.deepEqual(counts, DEFAULT_CLASS_WEIGHTS);
    }
    // Spread: no class takes three VUs in a row.
    for (let i = 0; i + 2 < cycle.length; i++) assert.ok(!(cycle[i] === cycle[i + 1] && cycle[i] === cycle[i + 2]), cycle.join());
    // The three heavier classes come first, so even a 3-VU run sees most of the mix.
    assert.deepEqual(
      [1, 2, 3].map((vu) => classOfVu(cycle, vu)),
      ['api', 'blockchain', 'session'],
    );
  });

  it('is deterministic and skips zero-weight classes', () => {
    const cycle = classCycle({ api: 0, blockchain: 1, session: 0, admin: 2 });
    assert.deepEqual(cycle, classCycle({ api: 0, blockchain: 1, session: 0, admin: 2 }));
    assert.deepEqual([...cycle].sort(), ['admin', 'admin', 'blockchain']);
  });

  it('think time stays inside the seed 003 range, scaled', () => {
    for (const c of USER_CLASSES) {
      const [min, max] = THINK_RANGES[c];
      assert.equal(thinkSeconds(c, 0, 1), min);
      assert.ok(thinkSeconds(c, 0.999999, 1) < max && thinkSeconds(c, 0.999999, 1) > max - 0.001);
      assert.equal(thinkSeconds(c, 0.5, 0.01), ((min + max) / 2) * 0.01);
    }
  });

  it('weights and THINK_SCALE are validated with the variable named', () => {
    const good = new EnvKnobs({ USER_CLASS_WEIGHTS: '{"api":1,"admin":1}' });
    assert.deepEqual(parseClassWeights(good), { api: 1, blockchain: 0, session: 0, admin: 1 });
    assert.deepEqual(good.problems, []);
    const problems = new EnvKnobs({ USER_CLASS_WEIGHTS: '{"guest":1}', THINK_SCALE: 'fast' });
    parseClassWeights(problems);
    parseThinkScale(problems);
    assert.match(problems.problems.join('\n'), /USER_CLASS_WEIGHTS="\{\\"guest\\":1\}" is not valid: expected only the keys api, blockchain, session, admin \(unknown key "guest"\)/);
    assert.match(problems.problems.join('\n'), /THINK_SCALE="fast" is not valid: expected a number from 0 to 10/);
  });
});

describe('accepted transactions per step', () => {
  it('declares one never-failing threshold per step', () => {
    const schedule = describeProfile('tps-steps', { DURATION_SCALE: '0.01' });
    const thresholds = perStepAcceptedThresholds(schedule);
    assert.deepEqual(
      Object.keys(thresholds),
      schedule.steps.map((s) => `transactions_accepted{scenario:${s.scenario}}`),
    );
    assert.ok(Object.values(thresholds).every((t) => t.length === 1 && t[0] === 'count>=0'));
  });
});
