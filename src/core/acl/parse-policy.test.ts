// Specification of parsePolicy for HCL and JSON documents, including error messages.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../../shared/index.js';
import { parsePolicy, type Policy } from './index.js';

function rejects(text: string, expected: RegExp): void {
  assert.throws(
    () => parsePolicy('p', text),
    (e: unknown) => e instanceof CofferError && e.code === 'invalid_request' && e.message.startsWith('failed to parse policy: ') && expected.test(e.message),
  );
}

const rulesOf = (p: Policy): Record<string, unknown>[] =>
  p.paths.map((r) => ({
    path: r.path,
    capabilities: r.capabilities,
    allowed: Object.fromEntries(r.allowedParameters),
    denied: Object.fromEntries(r.deniedParameters),
    required: r.requiredParameters,
    min: r.minWrappingTtl,
    max: r.maxWrappingTtl,
  }));

describe('parsePolicy: HCL', () => {
  it('reads every stanza field and keeps the raw text', () => {
    const text = `
# comment
path "secret/foo" {
  capabilities = ["update", "create", "read", "read"]
  allowed_parameters = {
    "Bar" = ["zip", "zap*"]
    "*"   = []
  }
  denied_parameters = {
    "no_store" = [false, "false"]
  }
  required_parameters = ["Name", "id"]
  min_wrapping_ttl = "1s"
  max_wrapping_ttl = "90s"
}
path "secret/*" { capabilities = ["list"] }
`;
    const p = parsePolicy('mine', text);
    assert.equal(p.name, 'mine');
    assert.equal(p.raw, text);
    assert.equal(p.templated, false);
    assert.deepEqual(rulesOf(p), [
      {
        path: 'secret/foo',
        capabilities: ['create', 'read', 'update'],
        allowed: { bar: ['zip', 'zap*'], '*': [] },
        denied: { no_store: [false, 'false'] },
        required: ['name', 'id'],
        min: 1,
        max: 90,
      },
      { path: 'secret/*', capabilities: ['list'], allowed: {}, denied: {}, required: [], min: 0, max: 0 },
    ]);
    assert.equal(p.paths[0]?.line, 3);
  });

  const legacy: [string, string[]][] = [
    ['deny', ['deny']],
    ['read', ['list', 'read']],
    ['list', ['list']],
    ['write', ['create', 'delete', 'list', 'read', 'update']],
    ['sudo', ['create', 'delete', 'list', 'read', 'sudo', 'update']],
  ];
  for (const [policy, caps] of legacy) {
    it(`maps the legacy policy = "${policy}" to [${caps.join(', ')}]`, () => {
      assert.deepEqual(parsePolicy('p', `path "a" { policy = "${policy}" }`).paths[0]?.capabilities, caps);
    });
  }

  it('adds legacy policy capabilities to explicit ones', () => {
    assert.deepEqual(parsePolicy('p', 'path "a" {\n policy = "read"\n capabilities = ["create", "sudo"]\n}').paths[0]?.capabilities, ['create', 'list', 'read', 'sudo']);
  });

  it('reduces a stanza holding deny to deny alone', () => {
    assert.deepEqual(parsePolicy('p', 'path "a" { capabilities = ["read", "deny", "sudo"] }').paths[0]?.capabilities, ['deny']);
  });

  it('accepts subscribe and recover', () => {
    assert.deepEqual(parsePolicy('p', 'path "a" { capabilities = ["subscribe", "recover"] }').paths[0]?.capabilities, ['recover', 'subscribe']);
  });

  it('accepts wrapping TTLs as numbers of seconds and Go durations', () => {
    const r = parsePolicy('p', 'path "a" {\n min_wrapping_ttl = 30\n max_wrapping_ttl = "1h30m"\n}').paths[0];
    assert.equal(r?.minWrappingTtl, 30);
    assert.equal(r?.maxWrappingTtl, 5400);
  });

  it('accepts the block form of allowed_parameters and ignores comment and enterprise keys', () => {
    const r = parsePolicy('p', 'path "a" {\n capabilities = ["update"]\n comment = "x"\n allowed_parameters {\n "k" = ["v"]\n }\n}').paths[0];
    assert.deepEqual(Object.fromEntries(r?.allowedParameters ?? []), { k: ['v'] });
  });

  it('parses an empty document into a policy without paths', () => {
    assert.deepEqual(parsePolicy('p', '').paths, []);
    assert.deepEqual(parsePolicy('p', '# nothing\n').paths, []);
  });

  it('keeps stanzas with templated patterns and marks the policy templated', () => {
    const p = parsePolicy('p', 'path "secret/{{identity.entity.id}}/*" { capabilities = ["read"] }\npath "plain" { capabilities = ["read"] }');
    assert.equal(p.templated, true);
    assert.deepEqual(p.paths.map((r) => r.templated), [true, false]);
  });
});

describe('parsePolicy: JSON', () => {
  it('reads the JSON form with several paths', () => {
    const text = JSON.stringify({
      path: {
        'secret/*': { capabilities: ['read', 'list'] },
        'secret/restricted': { capabilities: ['create'], allowed_parameters: { foo: [], bar: ['zip', 'zap'] }, min_wrapping_ttl: '5s' },
        'old/': { policy: 'write' },
      },
    });
    assert.deepEqual(rulesOf(parsePolicy('j', text)), [
      { path: 'secret/*', capabilities: ['list', 'read'], allowed: {}, denied: {}, required: [], min: 0, max: 0 },
      { path: 'secret/restricted', capabilities: ['create'], allowed: { foo: [], bar: ['zip', 'zap'] }, denied: {}, required: [], min: 5, max: 0 },
      { path: 'old/', capabilities: ['create', 'delete', 'list', 'read', 'update'], allowed: {}, denied: {}, required: [], min: 0, max: 0 },
    ]);
  });

  it('reads a JSON path list (repeated keys written as an array)', () => {
    const text = '{"path": [{"a": {"capabilities": ["read"]}}, {"b": {"capabilities": ["list"]}}]}';
    assert.deepEqual(parsePolicy('j', text).paths.map((r) => r.path), ['a', 'b']);
  });

  it('reports JSON syntax errors with line and column', () => {
    rejects('{\n  "path": {\n    "a": {"capabilities": ["read"],}\n', /At \d+:\d+: /);
  });
});

describe('parsePolicy: errors', () => {
  const table: { name: string; text: string; message: RegExp }[] = [
    { name: 'an unknown capability', text: 'path "a" {\n  capabilities = ["read", "fly"]\n}', message: /path "a": invalid capability "fly" on line 2/ },
    { name: 'capabilities that are not a list', text: 'path "a" {\n  capabilities = "read"\n}', message: /capabilities must be a list of strings on line 2/ },
    { name: 'an unknown legacy policy', text: 'path "a" {\n\n  policy = "admin"\n}', message: /invalid policy "admin" on line 3/ },
    { name: 'an unknown key inside a path', text: 'path "a" {\n  capabilities = ["read"]\n  colour = "red"\n}', message: /path "a": invalid key "colour" on line 3/ },
    { name: 'an unknown top-level key', text: 'path "a" { capabilities = ["read"] }\nwhatever "x" {}', message: /invalid key "whatever" on line 2/ },
    { name: 'an invalid duration', text: 'path "a" {\n  max_wrapping_ttl = "soon"\n}', message: /max_wrapping_ttl.*on line 2/ },
    { name: 'max_wrapping_ttl below min_wrapping_ttl', text: 'path "a" {\n  min_wrapping_ttl = "2m"\n  max_wrapping_ttl = "1m"\n}', message: /max_wrapping_ttl cannot be less than min_wrapping_ttl on line 2/ },
    { name: 'allowed_parameters that is not an object', text: 'path "a" {\n  allowed_parameters = ["x"]\n}', message: /allowed_parameters must be an object on line 2/ },
    { name: 'required_parameters holding a number', text: 'path "a" {\n  required_parameters = ["x", 3]\n}', message: /required_parameters must be a list of strings on line 2/ },
    { name: 'an unknown template placeholder', text: '\npath "s/{{identity.entity.shoe_size}}" { capabilities = ["read"] }', message: /failed to validate policy templating: .*shoe_size.* on line 2/ },
    { name: 'unbalanced template braces', text: 'path "s/{{identity.entity.id}" { capabilities = ["read"] }', message: /failed to validate policy templating/ },
    { name: 'an HCL syntax error', text: 'path "a" {\n  capabilities = ["read"\n}', message: /^failed to parse policy: At 3:1: / },
    { name: 'an unterminated block', text: 'path "a" {\n  capabilities = ["read"]\n', message: /^failed to parse policy: At \d+:\d+: / },
    { name: 'a path block with two labels', text: 'path "a" "b" { capabilities = ["read"] }', message: /exactly one pattern on line 1/ },
  ];
  for (const c of table) {
    it(`rejects ${c.name}`, () => rejects(c.text, c.message));
  }
});
