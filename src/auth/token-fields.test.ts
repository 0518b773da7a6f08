// Specification of the shared token_* field helper: parsing with legacy aliases, validation,
// read-back, the LoginGrant produced and bound-CIDR matching.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFields } from '../sdk/index.js';
import {
  addressAllowed,
  applyTokenFields,
  cidrsWithin,
  defaultTokenParams,
  parseStoredTokenParams,
  TOKEN_FIELD_SPECS,
  tokenGrant,
  tokenParamsToData,
} from './token-fields.js';

const apply = (data: Record<string, unknown>, current = defaultTokenParams()) => {
  const { values, present } = parseFields(TOKEN_FIELD_SPECS, data);
  return applyTokenFields(current, { fields: values, has: (f) => present.has(f) });
};

describe('token fields', () => {
  it('parses durations into integer seconds and lists from comma strings', () => {
    const p = apply({ token_ttl: '1h', token_max_ttl: 7200, token_policies: 'A, b,,a', token_bound_cidrs: '10.0.0.0/8,127.0.0.1' });
    assert.equal(p.ttl, 3600);
    assert.equal(p.maxTtl, 7200);
    assert.deepEqual(p.policies, ['a', 'b']);
    assert.deepEqual(p.boundCidrs, ['10.0.0.0/8', '127.0.0.1']);
  });

  it('prefers token_* names over their legacy aliases and keeps unsent values', () => {
    const first = apply({ policies: 'old', ttl: 10, period: '1m', bound_cidrs: '10.0.0.1' });
    assert.deepEqual(first.policies, ['old']);
    assert.equal(first.period, 60);
    const second = apply({ token_policies: 'new', policies: 'ignored' }, first);
    assert.deepEqual(second.policies, ['new']);
    assert.equal(second.ttl, 10);
    assert.deepEqual(second.boundCidrs, ['10.0.0.1']);
  });

  it('rejects negative values, ttl above max_ttl, batch with period or uses, and unknown types', () => {
    assert.throws(() => apply({ token_num_uses: -1 }), /negative/);
    assert.throws(() => apply({ token_ttl: 20, token_max_ttl: 10 }), /greater/);
    assert.throws(() => apply({ token_type: 'batch', token_num_uses: 2 }), /batch/);
    assert.throws(() => apply({ token_type: 'default-batch', token_period: 2 }), /batch/);
    assert.throws(() => apply({ token_type: 'nope' }), /token_type/);
    assert.throws(() => apply({ token_bound_cidrs: '10.0.0.0/33' }), /CIDR/);
  });

  it('round-trips through the stored form and reads back with Vault names', () => {
    const p = apply({ token_type: 'service', token_no_default_policy: true, token_explicit_max_ttl: '2h' });
    const stored = parseStoredTokenParams(JSON.parse(JSON.stringify(p)));
    assert.deepEqual(stored, p);
    assert.deepEqual(tokenParamsToData(stored), {
      token_policies: [],
      token_ttl: 0,
      token_max_ttl: 0,
      token_period: 0,
      token_num_uses: 0,
      token_type: 'service',
      token_no_default_policy: true,
      token_bound_cidrs: [],
      token_explicit_max_ttl: 7200,
    });
  });

  it('caps the grant max TTL with token_explicit_max_ttl and maps default-* types', () => {
    const login = { metadata: { a: 'b' }, displayName: 'n', alias: { name: 'n' } };
    assert.equal(tokenGrant(apply({ token_max_ttl: 100, token_explicit_max_ttl: 50 }), login).maxTtl, 50);
    assert.equal(tokenGrant(apply({ token_explicit_max_ttl: 50 }), login).maxTtl, 50);
    assert.equal(tokenGrant(apply({ token_max_ttl: 40, token_explicit_max_ttl: 50 }), login).maxTtl, 40);
    assert.equal(tokenGrant(apply({ token_type: 'default-batch' }), login).tokenType, 'batch');
    assert.equal(tokenGrant(apply({ token_type: 'default-service' }), login).tokenType, 'service');
  });

  it('matches addresses against CIDR blocks, bare IPs and IPv4-mapped IPv6', () => {
    assert.equal(addressAllowed([], 'anything'), true);
    assert.equal(addressAllowed(['10.0.0.0/8'], '10.9.9.9'), true);
    assert.equal(addressAllowed(['10.0.0.0/8'], '11.0.0.1'), false);
    assert.equal(addressAllowed(['127.0.0.1'], '::ffff:127.0.0.1'), true);
    assert.equal(addressAllowed(['fd00::/8'], 'fd12::1'), true);
    assert.equal(addressAllowed(['10.0.0.0/8'], 'garbage'), false);
  });

  it('decides whether one set of CIDR blocks lies within another', () => {
    assert.equal(cidrsWithin(['10.1.0.0/16', '10.2.3.4'], ['10.0.0.0/8']), true);
    assert.equal(cidrsWithin(['10.0.0.0/7'], ['10.0.0.0/8']), false);
    assert.equal(cidrsWithin(['192.168.0.0/16'], []), true);
  });
});
