import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, parseDurationSeconds, parseGoBool } from './duration.js';
import { CofferError } from './errors.js';

describe('parseDurationSeconds', () => {
  const cases: [unknown, number][] = [
    [3600, 3600],
    ['3600', 3600],
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['768h', 2764800],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['300ms', 0],
    ['7d', 604800],
    ['', 0],
    [null, 0],
    [undefined, 0],
    ['-5', -5],
  ];
  for (const [input, want] of cases) {
    it(`reads ${JSON.stringify(input)} as ${want} seconds`, () => {
      assert.equal(parseDurationSeconds(input), want);
    });
  }
  for (const bad of [true, '1d12h', 'abc', '5x', {}]) {
    it(`rejects ${JSON.stringify(bad)} with invalid_request`, () => {
      assert.throws(
        () => parseDurationSeconds(bad),
        (e: unknown) => e instanceof CofferError && e.code === 'invalid_request',
      );
    });
  }
});

describe('formatGoDuration', () => {
  it('formats like Go Duration.String()', () => {
    assert.equal(formatGoDuration(0), '0s');
    assert.equal(formatGoDuration(3600), '1h0m0s');
    assert.equal(formatGoDuration(12319), '3h25m19s');
    assert.equal(formatGoDuration(2764800), '768h0m0s');
    assert.equal(formatGoDuration(61), '1m1s');
  });
});

describe('parseGoBool', () => {
  it('accepts Go ParseBool spellings and nothing else', () => {
    assert.equal(parseGoBool('t'), true);
    assert.equal(parseGoBool('1'), true);
    assert.equal(parseGoBool('False'), false);
    assert.equal(parseGoBool('yes'), undefined);
  });
});
