// Specification of Acl.check: capabilities, deny, merging, sudo, parameter rules, wrapping TTLs.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileAcl, parsePolicy, type Acl, type AclDecision, type AclRequest } from './index.js';

function acl(...texts: string[]): Acl {
  return compileAcl(texts.map((t, i) => parsePolicy(`p${i}`, t)));
}

function req(path: string, extra: Partial<AclRequest> = {}): AclRequest {
  return { path, operation: 'update', sudoRequired: false, ...extra };
}

const verdict = (d: AclDecision): string => (d.kind === 'allow' ? 'allow' : d.reason);

describe('operations and capabilities', () => {
  const ops = ['read', 'list', 'create', 'update', 'patch', 'delete'] as const;
  for (const op of ops) {
    it(`${op} needs the ${op} capability on the matched rule`, () => {
      const only = acl(`path "p/*" { capabilities = ["${op}"] }`);
      const others = acl(`path "p/*" { capabilities = [${ops.filter((o) => o !== op).map((o) => `"${o}"`).join(',')}, "sudo"] }`);
      assert.equal(verdict(only.check(req('p/x', { operation: op }))), 'allow');
      assert.equal(verdict(others.check(req('p/x', { operation: op }))), 'missing-capability');
    });
  }

  it('an allow decision carries the sorted capabilities and granting policies', () => {
    const a = compileAcl([
      parsePolicy('zeta', 'path "s/x" { capabilities = ["update"] }'),
      parsePolicy('alpha', 'path "s/x" { capabilities = ["read"] }'),
      parsePolicy('other', 'path "s/y" { capabilities = ["read"] }'),
    ]);
    assert.deepEqual(a.check(req('s/x', { operation: 'read' })), { kind: 'allow', capabilities: ['read', 'update'], grantingPolicies: ['alpha', 'zeta'] });
  });
});

describe('deny and merging across policies', () => {
  it('the same pattern in several policies unions the capabilities', () => {
    const a = acl('path "s/*" { capabilities = ["read"] }', 'path "s/*" { capabilities = ["list", "update"] }');
    assert.deepEqual(a.capabilities('s/k'), ['list', 'read', 'update']);
  });

  it('deny in any policy wins over grants of the same pattern in others, whatever the order', () => {
    const grant = 'path "s/*" { capabilities = ["read", "update", "sudo"] }';
    const denyIt = 'path "s/*" { capabilities = ["deny"] }';
    for (const a of [acl(grant, denyIt), acl(denyIt, grant), acl(grant, denyIt, grant)]) {
      assert.equal(verdict(a.check(req('s/k', { operation: 'read' }))), 'deny-capability');
      assert.deepEqual(a.capabilities('s/k'), ['deny']);
    }
  });

  it('deny wins over sudo', () => {
    const a = acl('path "s/k" { capabilities = ["deny", "sudo", "read"] }');
    assert.equal(verdict(a.check(req('s/k', { operation: 'read', sudoRequired: true }))), 'deny-capability');
  });

  it('the same pattern twice in one policy merges too', () => {
    const a = acl('path "s/k" { capabilities = ["read"] }\npath "s/k" { capabilities = ["update"] }');
    assert.deepEqual(a.capabilities('s/k'), ['read', 'update']);
  });

  it('merges parameter constraints: values add up, an empty list (any value) absorbs values', () => {
    const a = acl(
      'path "s/k" { capabilities = ["update"]\n allowed_parameters = { "color" = ["red"], "size" = ["s"] } }',
      'path "s/k" { capabilities = ["update"]\n allowed_parameters = { "color" = ["blue"], "size" = [] } }',
    );
    const check = (data: Record<string, unknown>): string => verdict(a.check(req('s/k', { data })));
    assert.equal(check({ color: 'red' }), 'allow');
    assert.equal(check({ color: 'blue' }), 'allow');
    assert.equal(check({ color: 'green' }), 'denied-parameter');
    assert.equal(check({ size: 'xl' }), 'allow');
    assert.equal(check({ shape: 'round' }), 'denied-parameter');
  });

  it('merges denied and required parameters as unions', () => {
    const a = acl(
      'path "s/k" { capabilities = ["update"]\n denied_parameters = { "a" = ["1"] }\n required_parameters = ["x"] }',
      'path "s/k" { capabilities = ["update"]\n denied_parameters = { "a" = ["2"], "b" = [] }\n required_parameters = ["y"] }',
    );
    const check = (data: Record<string, unknown>): string => verdict(a.check(req('s/k', { data })));
    assert.equal(check({ x: 1 }), 'missing-required-parameter');
    assert.equal(check({ x: 1, y: 1 }), 'allow');
    assert.equal(check({ x: 1, y: 1, a: '1' }), 'denied-parameter');
    assert.equal(check({ x: 1, y: 1, a: '2' }), 'denied-parameter');
    assert.equal(check({ x: 1, y: 1, a: '3' }), 'allow');
    assert.equal(check({ x: 1, y: 1, b: 'anything' }), 'denied-parameter');
  });

  it('merges wrapping TTL bounds by keeping the lowest non-zero min and max', () => {
    const a = acl(
      'path "s/k" { capabilities = ["update"]\n min_wrapping_ttl = "10s"\n max_wrapping_ttl = "1h" }',
      'path "s/k" { capabilities = ["update"]\n min_wrapping_ttl = "5s"\n max_wrapping_ttl = "90s" }',
      'path "s/k" { capabilities = ["update"] }',
    );
    assert.equal(verdict(a.check(req('s/k', { wrapTtl: 5 }))), 'allow');
    assert.equal(verdict(a.check(req('s/k', { wrapTtl: 4 }))), 'wrap-ttl-too-short');
    assert.equal(verdict(a.check(req('s/k', { wrapTtl: 90 }))), 'allow');
    assert.equal(verdict(a.check(req('s/k', { wrapTtl: 91 }))), 'wrap-ttl-too-long');
  });
});

describe('sudo', () => {
  const table: { caps: string; sudoRequired: boolean; expect: string }[] = [
    { caps: '"update"', sudoRequired: false, expect: 'allow' },
    { caps: '"update"', sudoRequired: true, expect: 'missing-sudo' },
    { caps: '"update", "sudo"', sudoRequired: true, expect: 'allow' },
    { caps: '"sudo"', sudoRequired: true, expect: 'missing-capability' },
  ];
  for (const c of table) {
    it(`capabilities [${c.caps}] on a ${c.sudoRequired ? 'root-protected' : 'normal'} path → ${c.expect}`, () => {
      const a = acl(`path "sys/audit/*" { capabilities = [${c.caps}] }`);
      assert.equal(verdict(a.check(req('sys/audit/file', { sudoRequired: c.sudoRequired }))), c.expect);
    });
  }
});

describe('parameter rules', () => {
  const table: { name: string; rule: string; data: Record<string, unknown> | undefined; expect: string; operation?: AclRequest['operation'] }[] = [
    { name: 'required parameters must all be present', rule: 'required_parameters = ["bar", "baz"]', data: { bar: 1 }, expect: 'missing-required-parameter' },
    { name: 'required parameters present → allowed', rule: 'required_parameters = ["bar", "baz"]', data: { bar: 1, baz: 2, other: 3 }, expect: 'allow' },
    { name: 'required parameters apply to a request without data', rule: 'required_parameters = ["bar"]', data: undefined, expect: 'missing-required-parameter' },
    { name: 'required parameter names compare case-insensitively', rule: 'required_parameters = ["Bar"]', data: { BAR: 1 }, expect: 'allow' },
    { name: 'no data passes allowed/denied rules', rule: 'allowed_parameters = { "x" = ["1"] }\n denied_parameters = { "*" = [] }', data: {}, expect: 'allow' },
    { name: 'allowed empty list allows any value', rule: 'allowed_parameters = { "bar" = [] }', data: { bar: 'whatever' }, expect: 'allow' },
    { name: 'allowed list restricts values', rule: 'allowed_parameters = { "bar" = ["zip", "zap"] }', data: { bar: 'zop' }, expect: 'denied-parameter' },
    { name: 'allowed list accepts a listed value', rule: 'allowed_parameters = { "bar" = ["zip", "zap"] }', data: { bar: 'zap' }, expect: 'allow' },
    { name: 'parameters not listed in allowed are refused', rule: 'allowed_parameters = { "bar" = [] }', data: { bar: 1, other: 2 }, expect: 'denied-parameter' },
    { name: '"*" in allowed lets other parameters through', rule: 'allowed_parameters = { "bar" = ["zip"], "*" = [] }', data: { other: 2, bar: 'zip' }, expect: 'allow' },
    { name: '"*" in allowed still restricts listed parameters', rule: 'allowed_parameters = { "bar" = ["zip"], "*" = [] }', data: { other: 2, bar: 'zap' }, expect: 'denied-parameter' },
    { name: 'only "*" in allowed allows everything', rule: 'allowed_parameters = { "*" = [] }', data: { a: 1, b: 2 }, expect: 'allow' },
    { name: 'allowed prefix glob matches', rule: 'allowed_parameters = { "bar" = ["foo-*"] }', data: { bar: 'foo-1' }, expect: 'allow' },
    { name: 'allowed prefix glob refuses other values', rule: 'allowed_parameters = { "bar" = ["foo-*"] }', data: { bar: 'xfoo-1' }, expect: 'denied-parameter' },
    { name: 'allowed suffix glob matches', rule: 'allowed_parameters = { "bar" = ["*-prod"] }', data: { bar: 'db-prod' }, expect: 'allow' },
    { name: 'allowed both-ends glob matches a substring', rule: 'allowed_parameters = { "bar" = ["*mid*"] }', data: { bar: 'a-mid-b' }, expect: 'allow' },
    { name: 'a lone "*" value is literal', rule: 'allowed_parameters = { "bar" = ["*"] }', data: { bar: 'x' }, expect: 'denied-parameter' },
    { name: 'parameter names compare case-insensitively', rule: 'allowed_parameters = { "Bar" = ["zip"] }', data: { BAR: 'zip' }, expect: 'allow' },
    { name: 'denied empty list refuses the parameter', rule: 'denied_parameters = { "bar" = [] }', data: { bar: 'x' }, expect: 'denied-parameter' },
    { name: 'denied lets other parameters through', rule: 'denied_parameters = { "bar" = [] }', data: { other: 'x' }, expect: 'allow' },
    { name: 'denied values refuse only those values', rule: 'denied_parameters = { "bar" = ["zip", "zap"] }', data: { bar: 'zop' }, expect: 'allow' },
    { name: 'denied value refused', rule: 'denied_parameters = { "bar" = ["zip", "zap"] }', data: { bar: 'zip' }, expect: 'denied-parameter' },
    { name: 'denied "*" refuses any parameter', rule: 'denied_parameters = { "*" = [] }', data: { x: 1 }, expect: 'denied-parameter' },
    { name: 'denied wins over allowed', rule: 'allowed_parameters = { "bar" = [] }\n denied_parameters = { "bar" = ["bad"] }', data: { bar: 'bad' }, expect: 'denied-parameter' },
    { name: 'denied glob values', rule: 'denied_parameters = { "policies" = ["admin*"] }', data: { policies: 'admin-all' }, expect: 'denied-parameter' },
    { name: 'booleans match their string form (docs no_store example)', rule: 'denied_parameters = { "no_store" = [false, "false"] }', data: { no_store: false }, expect: 'denied-parameter' },
    { name: 'a denied value inside a list value is refused', rule: 'denied_parameters = { "policies" = ["admin"] }', data: { policies: ['dev', 'admin'] }, expect: 'denied-parameter' },
    { name: 'a denied value inside a comma-separated string is refused', rule: 'denied_parameters = { "policies" = ["admin"] }', data: { policies: 'dev,admin' }, expect: 'denied-parameter' },
    { name: 'a list value is allowed when every element is allowed', rule: 'allowed_parameters = { "policies" = ["dev", "ops"] }', data: { policies: ['ops', 'dev'] }, expect: 'allow' },
    { name: 'a list value is refused when one element is not allowed', rule: 'allowed_parameters = { "policies" = ["dev", "ops"] }', data: { policies: ['ops', 'root'] }, expect: 'denied-parameter' },
    { name: 'numbers match their string form', rule: 'allowed_parameters = { "ttl" = ["30", 60] }', data: { ttl: 60 }, expect: 'allow' },
    { name: 'parameter rules also apply to reads (Vault behaviour)', rule: 'required_parameters = ["v"]', data: undefined, expect: 'missing-required-parameter', operation: 'read' },
    { name: 'parameter rules do not apply to deletes', rule: 'required_parameters = ["v"]', data: undefined, expect: 'allow', operation: 'delete' },
    { name: 'parameter rules do not apply to lists', rule: 'required_parameters = ["v"]', data: undefined, expect: 'allow', operation: 'list' },
  ];
  for (const c of table) {
    it(`${c.name}`, () => {
      const a = acl(`path "s/k" {\n capabilities = ["create", "read", "update", "patch", "delete", "list"]\n ${c.rule}\n}`);
      const r = req('s/k', c.data === undefined ? { operation: c.operation ?? 'update' } : { data: c.data, operation: c.operation ?? 'update' });
      assert.equal(verdict(a.check(r)), c.expect);
    });
  }

  it('applies parameter rules to create, update and patch alike', () => {
    const a = acl('path "s/k" { capabilities = ["create", "update", "patch"]\n denied_parameters = { "x" = [] } }');
    for (const operation of ['create', 'update', 'patch'] as const) {
      assert.equal(verdict(a.check(req('s/k', { operation, data: { x: 1 } }))), 'denied-parameter');
    }
  });
});

describe('response-wrapping TTL bounds', () => {
  const a = acl('path "auth/approle/role/r/secret-id" { capabilities = ["update"]\n min_wrapping_ttl = "1s"\n max_wrapping_ttl = "90s" }');
  const only = (bound: string): Acl => acl(`path "w" { capabilities = ["update"]\n ${bound} }`);
  const table: { name: string; acl: Acl; path: string; wrapTtl: number | undefined; expect: string }[] = [
    { name: 'min 1s makes wrapping mandatory', acl: a, path: 'auth/approle/role/r/secret-id', wrapTtl: undefined, expect: 'wrapping-required' },
    { name: 'a wrap TTL of 0 counts as not wrapped', acl: a, path: 'auth/approle/role/r/secret-id', wrapTtl: 0, expect: 'wrapping-required' },
    { name: 'within bounds is allowed', acl: a, path: 'auth/approle/role/r/secret-id', wrapTtl: 60, expect: 'allow' },
    { name: 'exactly the max is allowed', acl: a, path: 'auth/approle/role/r/secret-id', wrapTtl: 90, expect: 'allow' },
    { name: 'above the max is refused', acl: a, path: 'auth/approle/role/r/secret-id', wrapTtl: 91, expect: 'wrap-ttl-too-long' },
    { name: 'below the min is refused', acl: only('min_wrapping_ttl = "1m"'), path: 'w', wrapTtl: 59, expect: 'wrap-ttl-too-short' },
    { name: 'only a max also requires wrapping', acl: only('max_wrapping_ttl = 300'), path: 'w', wrapTtl: undefined, expect: 'wrapping-required' },
    { name: 'only a max accepts a short TTL', acl: only('max_wrapping_ttl = 300'), path: 'w', wrapTtl: 1, expect: 'allow' },
    { name: 'no bounds accept an unwrapped request', acl: only(''), path: 'w', wrapTtl: undefined, expect: 'allow' },
    { name: 'no bounds accept any wrap TTL', acl: only(''), path: 'w', wrapTtl: 99999, expect: 'allow' },
  ];
  for (const c of table) {
    it(c.name, () => {
      const r = c.wrapTtl === undefined ? req(c.path) : req(c.path, { wrapTtl: c.wrapTtl });
      assert.equal(verdict(c.acl.check(r)), c.expect);
    });
  }

  it('checks capabilities before wrapping bounds', () => {
    assert.equal(verdict(a.check(req('auth/approle/role/r/secret-id', { operation: 'read' }))), 'missing-capability');
  });
});
