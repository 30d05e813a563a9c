// The one env-knob reader: every problem in one list, one wording (name, bad value, the form
// wanted), and the run configuration, profile knobs and a workload's own knobs read together.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../lib/shared/config.ts';
import { ConfigError, describeNumber, EnvKnobs } from '../../lib/shared/env-knobs.ts';
import { parsePacing } from '../../lib/shared/pacing.ts';
import { readKnobs } from '../../lib/shared/profiles/env.ts';

describe('EnvKnobs', () => {
  it('reads typed values with defaults; blank means the default', () => {
    const k = new EnvKnobs({ N: ' 7 ', MODE: 'b', FLAG: 'off', D: '1m30s', L: '1, 2,3', BLANK: '  ' });
    assert.equal(k.number('N', { integer: true, min: 1, max: 10, example: '5' }, 1), 7);
    assert.equal(k.number('BLANK', { min: 0, example: '1' }, 42), 42);
    assert.equal(k.oneOf('MODE', ['a', 'b'] as const, 'a'), 'b');
    assert.equal(k.onOff('FLAG', true), false);
    assert.equal(k.optionalDuration('D', 1, '30s'), 90);
    assert.deepEqual(
      k.list('L', 'numbers', (p) => Number(p)),
      [1, 2, 3],
    );
    assert.deepEqual(k.problems, []);
  });

  it('collects every problem in one wording: name, the bad value, what to write instead', () => {
    const k = new EnvKnobs({ N: '11', MODE: 'c', FLAG: 'yes', D: 'soon', L: '1,,x' });
    k.number('N', { integer: true, min: 1, max: 10, example: '5' }, 1);
    k.oneOf('MODE', ['a', 'b'] as const, 'a');
    k.onOff('FLAG', true);
    k.optionalDuration('D', 1, '30s or 2m');
    k.list('L', 'comma-separated numbers such as 1,2', (p) => (Number.isFinite(Number(p)) ? Number(p) : undefined));
    assert.deepEqual(k.problems, [
      'N="11" is not valid: expected a whole number from 1 to 10 such as 5',
      'MODE="c" is not valid: expected one of a, b',
      'FLAG="yes" is not valid: expected one of on, off',
      'D="soon" is not valid: expected a duration of at least 1s such as 30s or 2m',
      'L="1,,x" is not valid: expected comma-separated numbers such as 1,2',
    ]);
    assert.throws(
      () => k.throwIfAny(),
      (e: unknown) => e instanceof ConfigError && e.problems.length === 5 && /^N="11"/.test(e.message) && /5 problems/.test(e.message),
    );
  });

  it('describes ranges the way users read them', () => {
    assert.equal(describeNumber({ above: 0, example: '2' }), 'a positive number such as 2');
    assert.equal(describeNumber({ integer: true, above: 0, example: '5' }), 'a positive whole number such as 5');
    assert.equal(describeNumber({ above: 0, below: 1, example: '0.05' }), 'a fraction between 0 and 1 such as 0.05');
    assert.equal(describeNumber({ integer: true, min: 0, example: '0' }), 'a whole number >= 0 such as 0');
  });

  it('run configuration, profile knobs and workload knobs are listed together, not one after the other', () => {
    const k = new EnvKnobs({ SIGNING: 'hsm', VUS_SCALE: '0', PACING: 'turbo' });
    loadConfig(k);
    readKnobs(k);
    parsePacing(k);
    const names = k.problems.map((p) => /^[A-Z_]+/.exec(p)![0]);
    assert.deepEqual(names, ['SIGNING', 'VUS_SCALE', 'PACING']);
  });

  it('VUS_SCALE=0 is rejected, as docs/profiles.md says', () => {
    assert.throws(() => readKnobs({ VUS_SCALE: '0' }), /VUS_SCALE="0" is not valid: expected a positive number/);
  });
});
