// Specification of path matching and Vault's priority rules between literal, `*` and `+` patterns.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileAcl, parsePolicy, type Acl, type AclOperation } from './index.js';
import { comparePriority, compilePattern, patternMatches } from './path-pattern.js';
import { buildRuleIndex } from './rule-index.js';

/** One policy per argument, named p0, p1, … */
function acl(...texts: string[]): Acl {
  return compileAcl(texts.map((t, i) => parsePolicy(`p${i}`, t)));
}

/** A policy granting a distinct marker capability set per pattern, so the winner is visible. */
function stanza(pattern: string, caps: readonly string[]): string {
  return `path "${pattern}" { capabilities = [${caps.map((c) => `"${c}"`).join(', ')}] }\n`;
}

const can = (a: Acl, path: string, operation: AclOperation = 'read'): boolean =>
  a.check({ path, operation, sudoRequired: false }).kind === 'allow';

describe('path matching (Vault documented examples)', () => {
  const cases: { pattern: string; matches: string[]; misses: string[] }[] = [
    { pattern: 'secret/foo', matches: ['secret/foo'], misses: ['secret/food', 'secret/foo/bar', 'secret/fo', 'secret/foo/'] },
    { pattern: 'secret/bar/*', matches: ['secret/bar/zip', 'secret/bar/zip/zap', 'secret/bar/'], misses: ['secret/bars/zip', 'secret/bar'] },
    { pattern: 'secret/zip-*', matches: ['secret/zip-zap', 'secret/zip-zap/zong', 'secret/zip-'], misses: ['secret/zip/zap'] },
    { pattern: 'secret/foo*', matches: ['secret/foobar', 'secret/foo', 'secret/foo/bar'], misses: ['secret/fo'] },
    { pattern: 'secret/+/teamb', matches: ['secret/foo/teamb', 'secret/bar/teamb'], misses: ['secret/foo/bar/teamb', 'secret/teamb', 'secret/foo/teamb/x'] },
    { pattern: 'secret/+/+/teamb', matches: ['secret/foo/bar/teamb', 'secret/bar/foo/teamb'], misses: ['secret/foo/teamb'] },
    { pattern: 'secret/+/*', matches: ['secret/a/', 'secret/a/b', 'secret/a/b/c'], misses: ['secret/a', 'secret'] },
    { pattern: 'secret/+*', matches: ['secret/a', 'secret/', 'secret/a/b'], misses: ['secret', 'secrets/a'] },
    { pattern: '+/sys/mounts', matches: ['ns1/sys/mounts'], misses: ['sys/mounts', 'a/b/sys/mounts'] },
    { pattern: '*', matches: ['', 'anything', 'a/b/c/'], misses: [] },
  ];
  for (const c of cases) {
    it(`pattern "${c.pattern}" matches ${c.matches.map((m) => `"${m}"`).join(', ')}${c.misses.length ? ` but not ${c.misses.map((m) => `"${m}"`).join(', ')}` : ''}`, () => {
      const a = acl(stanza(c.pattern, ['read']));
      for (const p of c.matches) assert.equal(can(a, p), true, `${c.pattern} should match ${p}`);
      for (const p of c.misses) assert.equal(can(a, p), false, `${c.pattern} should not match ${p}`);
    });
  }

  it('strips a leading slash from policy patterns', () => {
    assert.equal(can(acl(stanza('/secret/foo', ['read'])), 'secret/foo'), true);
  });
});

describe('priority between matching patterns', () => {
  // Each case: two patterns both matching `path`; the winner's capabilities decide.
  const table: { rule: string; winner: string; loser: string; path: string }[] = [
    { rule: 'a literal path beats every wildcard', winner: 'secret/a/b', loser: 'secret/+/b', path: 'secret/a/b' },
    { rule: 'a literal path beats a glob on itself', winner: 'secret/foo', loser: 'secret/foo*', path: 'secret/foo' },
    { rule: '(1) the later first wildcard wins', winner: 'secret/a/+', loser: 'secret/+/foo', path: 'secret/a/foo' },
    { rule: '(1) longest glob prefix wins', winner: 'secret/foo/*', loser: 'secret/*', path: 'secret/foo/bar' },
    { rule: '(1) a later glob beats an earlier +', winner: 'secret/bar/*', loser: 'secret/+/foo/*', path: 'secret/bar/foo/x' },
    { rule: '(2) not ending in * beats ending in *', winner: 'secret/a/+', loser: 'secret/a/*', path: 'secret/a/x' },
    { rule: '(3) fewer + segments win (docs: secret/* over secret/+/+/foo/*)', winner: 'secret/*', loser: 'secret/+/+/foo/*', path: 'secret/a/b/foo/c' },
    { rule: '(3) fewer + segments win without globs', winner: 'secret/+/b/+', loser: 'secret/+/+/+', path: 'secret/x/b/y' },
    { rule: '(4) the longer pattern wins', winner: 'secret/+/ab*', loser: 'secret/+/a*', path: 'secret/x/abc' },
    { rule: '(5) the lexicographically larger pattern wins', winner: 'secret/+/a/+', loser: 'secret/+/+/b', path: 'secret/x/a/b' },
  ];
  for (const c of table) {
    it(`${c.rule}: "${c.winner}" over "${c.loser}" for "${c.path}"`, () => {
      // Winner grants read only, loser grants list only; order of policies must not matter.
      for (const order of [0, 1]) {
        const w = stanza(c.winner, ['read']);
        const l = stanza(c.loser, ['list']);
        const a = order === 0 ? acl(w, l) : acl(l, w);
        assert.deepEqual(a.capabilities(c.path), ['read']);
        assert.equal(comparePriority(compilePattern(c.winner), compilePattern(c.loser)) > 0, true);
      }
    });
  }

  it('a more specific rule without the capability does not fall back to a broader rule', () => {
    const a = acl(stanza('secret/*', ['read', 'update']), stanza('secret/foo', ['list']));
    assert.deepEqual(a.check({ path: 'secret/foo', operation: 'read', sudoRequired: false }), { kind: 'deny', reason: 'missing-capability' });
    assert.equal(can(a, 'secret/other'), true);
  });

  it('an explicit deny on a specific path beats a broad grant (docs: secret/super-secret)', () => {
    const a = acl(stanza('secret/*', ['create', 'read', 'update', 'patch', 'delete', 'list']) + stanza('secret/super-secret', ['deny']));
    assert.deepEqual(a.check({ path: 'secret/super-secret', operation: 'read', sudoRequired: false }), { kind: 'deny', reason: 'deny-capability' });
    assert.equal(can(a, 'secret/ordinary'), true);
  });

  it('a broad deny does not override a more specific grant in another policy', () => {
    const a = acl(stanza('secret/*', ['deny']), stanza('secret/open', ['read']));
    assert.equal(can(a, 'secret/open'), true);
    assert.equal(can(a, 'secret/closed'), false);
  });
});

describe('list on folder paths', () => {
  const listCases: { pattern: string; path: string; allowed: boolean }[] = [
    { pattern: 'secret/foo/', path: 'secret/foo/', allowed: true },
    { pattern: 'secret/foo', path: 'secret/foo/', allowed: true },
    { pattern: 'secret/foo', path: 'secret/foo', allowed: true },
    { pattern: 'secret/foo/', path: 'secret/foo', allowed: true },
    { pattern: '+/sys/policies/acl', path: 'ns1/sys/policies/acl/', allowed: true },
    { pattern: '+/sys/policies/acl/', path: 'ns1/sys/policies/acl/', allowed: true },
    { pattern: 'secret/*', path: 'secret/', allowed: true },
    { pattern: 'secret/*', path: 'secret/a/b/', allowed: true },
    { pattern: 'secret/foo*', path: 'secret/', allowed: false },
    { pattern: 'secret/foo/bar', path: 'secret/foo/', allowed: false },
  ];
  for (const c of listCases) {
    it(`a list rule on "${c.pattern}" ${c.allowed ? 'allows' : 'does not allow'} listing "${c.path}"`, () => {
      assert.equal(can(acl(stanza(c.pattern, ['list'])), c.path, 'list'), c.allowed);
    });
  }

  it('a literal rule for the bare folder name beats a wildcard rule for the folder', () => {
    const a = acl(stanza('secret/*', ['read']), stanza('secret/foo', ['list']));
    assert.equal(can(a, 'secret/foo/', 'list'), true);
  });

  it('the trailing-slash fallback applies only to list', () => {
    const a = acl(stanza('secret/foo', ['read']));
    assert.equal(can(a, 'secret/foo/', 'read'), false);
  });
});

describe('rule index agrees with a brute-force matcher', () => {
  it('picks the same rule as scanning every pattern for 2,000 random paths', () => {
    // Deterministic xorshift32, so a failure reproduces.
    let seed = 12345;
    const rand = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const segs = ['a', 'b', 'ab', 'abc', '+', ''];
    const patterns = new Set<string>();
    for (let tries = 0; patterns.size < 300 && tries < 100_000; tries++) {
      const n = 1 + rand(4);
      const parts = Array.from({ length: n }, () => segs[rand(segs.length)] ?? 'a');
      patterns.add(parts.join('/') + (rand(2) === 0 ? '*' : ''));
    }
    const rules = [...patterns].map((p) => ({ pattern: compilePattern(p) }));
    const index = buildRuleIndex(rules);
    const pathSegs = ['a', 'b', 'ab', 'abc', 'abcd', 'x', ''];
    for (let k = 0; k < 2000; k++) {
      const n = 1 + rand(5);
      const path = Array.from({ length: n }, () => pathSegs[rand(pathSegs.length)] ?? 'a').join('/');
      let expected: (typeof rules)[number] | undefined;
      for (const r of rules) {
        if (!patternMatches(r.pattern, path)) continue;
        if (expected === undefined || comparePriority(r.pattern, expected.pattern) > 0) expected = r;
      }
      assert.equal(index.find(path)?.pattern.text, expected?.pattern.text, `path "${path}"`);
    }
  });
});

describe('root and capabilities()', () => {
  it('a policy named root yields a root ACL that allows everything, sudo included', () => {
    const a = compileAcl([parsePolicy('default', 'path "x" { capabilities = ["deny"] }'), { name: 'root', raw: '', paths: [], templated: false }]);
    assert.equal(a.isRoot, true);
    assert.deepEqual(a.check({ path: 'x', operation: 'delete', sudoRequired: true }), { kind: 'allow', capabilities: ['root'], grantingPolicies: ['root'] });
    assert.deepEqual(a.capabilities('anything'), ['root']);
  });

  it('reports sorted capabilities, ["deny"] for no match and for a deny rule', () => {
    const a = acl(stanza('secret/*', ['update', 'read', 'create', 'sudo', 'list', 'patch', 'delete']), stanza('secret/no', ['deny', 'read']));
    assert.deepEqual(a.capabilities('secret/x'), ['create', 'delete', 'list', 'patch', 'read', 'sudo', 'update']);
    assert.deepEqual(a.capabilities('secret/no'), ['deny']);
    assert.deepEqual(a.capabilities('other/x'), ['deny']);
    assert.equal(a.isRoot, false);
  });

  it('reports ["deny"] for a matching rule with no capabilities', () => {
    assert.deepEqual(acl('path "secret/x" { capabilities = [] }').capabilities('secret/x'), ['deny']);
  });

  it('returns a fresh array each time so callers cannot corrupt the ACL', () => {
    const a = acl(stanza('secret/*', ['read']));
    a.capabilities('secret/x').push('sudo');
    assert.deepEqual(a.capabilities('secret/x'), ['read']);
  });

  it('an empty policy set denies everything', () => {
    const a = compileAcl([]);
    assert.deepEqual(a.check({ path: 'secret/x', operation: 'read', sudoRequired: false }), { kind: 'deny', reason: 'no-rule' });
  });
});
