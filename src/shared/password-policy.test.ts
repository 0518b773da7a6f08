// Specification of password policies: parsing and validation of Vault's HCL format, and
// generation that always meets every charset rule.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from './errors.js';
import { DEFAULT_PASSWORD_POLICY, generatePassword, parsePasswordPolicy } from './password-policy.js';

const POLICY = `
length = 24
rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 2
}
rule "charset" {
  charset = "0123456789"
  min-chars = 3
}
rule "charset" {
  charset = "!@#$%^&*"
  min-chars = 1
}
`;

describe('password policies', () => {
  it('parses length and charset rules', () => {
    const p = parsePasswordPolicy(POLICY);
    assert.equal(p.length, 24);
    assert.deepEqual(
      p.rules.map((r) => [r.charset.length, r.minChars]),
      [
        [26, 2],
        [10, 3],
        [8, 1],
      ],
    );
  });

  it('generates passwords of the right length that meet every rule, and differ each time', () => {
    const p = parsePasswordPolicy(POLICY);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = generatePassword(p);
      assert.equal(pw.length, 24);
      assert.ok([...pw].filter((c) => /[a-z]/.test(c)).length >= 2);
      assert.ok([...pw].filter((c) => /[0-9]/.test(c)).length >= 3);
      assert.ok([...pw].some((c) => '!@#$%^&*'.includes(c)));
      assert.ok([...pw].every((c) => /[a-z0-9!@#$%^&*]/.test(c)));
      seen.add(pw);
    }
    assert.equal(seen.size, 200);
  });

  it('accepts the same policy as JSON', () => {
    const p = parsePasswordPolicy('{"length": 8, "rule": [{"charset": {"charset": "ab", "min-chars": 1}}]}');
    assert.equal(p.length, 8);
    assert.match(generatePassword(p), /^[ab]{8}$/);
  });

  it('makes default passwords of 20 letters and digits with each kind present', () => {
    const pw = generatePassword(DEFAULT_PASSWORD_POLICY);
    assert.match(pw, /^[A-Za-z0-9]{20}$/);
    assert.match(pw, /[a-z]/);
    assert.match(pw, /[A-Z]/);
    assert.match(pw, /[0-9]/);
  });

  for (const [why, text] of [
    ['no length', 'rule "charset" { charset = "ab" }'],
    ['a length below 4', 'length = 3\nrule "charset" { charset = "ab" }'],
    ['no rule', 'length = 10'],
    ['an empty charset', 'length = 10\nrule "charset" { charset = "" }'],
    ['minimums above the length', 'length = 4\nrule "charset" { charset = "ab" min-chars = 5 }'],
    ['an unknown rule type', 'length = 10\nrule "nonsense" { x = 1 }'],
    ['a syntax error', 'length = = 10'],
  ] as const) {
    it(`refuses a policy with ${why} as a 400`, () => {
      assert.throws(() => parsePasswordPolicy(text), (e: unknown) => e instanceof CofferError && e.code === 'invalid_request');
    });
  }
});
