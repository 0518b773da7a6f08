// Specification of the table, value and duration renderings that mimic vault's output.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columns, keyValueTable } from './columns.js';
import { goValue } from './go-value.js';
import { humanDuration } from './human-duration.js';
import { secretTable } from './secret.js';
import { toYaml } from './yaml.js';

describe('tables', () => {
  it('aligns columns with four spaces, leaves the last column unpadded and shows empty cells as n/a', () => {
    assert.equal(columns([['a', 'bb', 'c'], ['ddd', '', 'e']]), 'a      bb     c\nddd    n/a    e\n');
  });

  it('underlines the Key/Value header with dashes', () => {
    assert.equal(keyValueTable([['foo', 'bar']]), 'Key    Value\n---    -----\nfoo    bar\n');
  });
});

describe('goValue', () => {
  it('prints values like Go fmt %v', () => {
    assert.equal(goValue(['a', 1, true]), '[a 1 true]');
    assert.equal(goValue({ b: 2, a: { x: 'y' } }), 'map[a:map[x:y] b:2]');
    assert.equal(goValue(null), '<nil>');
  });
});

describe('humanDuration', () => {
  it('drops trailing zero units like vault', () => {
    assert.equal(humanDuration(2764800), '768h');
    assert.equal(humanDuration(3600), '1h');
    assert.equal(humanDuration(5400), '1h30m');
    assert.equal(humanDuration(3601), '1h1s'); // vault's quirk: the "0m" goes too
    assert.equal(humanDuration(60), '1m');
    assert.equal(humanDuration(45), '45s');
    assert.equal(humanDuration(0), '0s');
  });
});

describe('secretTable', () => {
  it('shows numeric ttl, *_ttl, period and *_period data fields as durations, as vault does', () => {
    const secret = {
      request_id: '', lease_id: '', renewable: false, lease_duration: 0, wrap_info: null, warnings: null, auth: null, raw: {},
      data: { ttl: 3593, creation_ttl: 2764800, explicit_max_ttl: 0, period: 60, token_period: 'n/a', num_uses: 3 },
    };
    assert.equal(
      secretTable(secret),
      'Key                 Value\n---                 -----\ncreation_ttl        768h\nexplicit_max_ttl    0s\nnum_uses            3\nperiod              1m\ntoken_period        n/a\nttl                 59m53s\n',
    );
  });
});

describe('toYaml', () => {
  it('emits block mappings and sequences and quotes ambiguous strings', () => {
    assert.equal(toYaml({ a: 'x', m: 1, t: 'true', l: ['p', { q: 'r' }], e: {} }), 'a: x\nm: 1\nt: "true"\nl:\n  - p\n  -\n    q: r\ne: {}\n');
  });
});
