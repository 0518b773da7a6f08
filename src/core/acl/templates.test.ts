// Specification of identity templating in policy paths.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileAcl, parsePolicy, renderTemplates, type IdentityInfo } from './index.js';

const identity: IdentityInfo = {
  entityId: 'ent-1',
  entityName: 'alice',
  entityMetadata: { team: 'blue', region: 'eu' },
  aliases: {
    auth_userpass_1: { id: 'alias-1', name: 'alice-up', metadata: { dept: 'ops' } },
    auth_kubernetes_2: { id: 'alias-2', name: 'sa-uid', metadata: { service_account_namespace: 'payments' }, customMetadata: { tier: 'gold' } },
  },
  groups: [
    { id: 'grp-1', name: 'engineers', metadata: { cost: 'c1' } },
    { id: 'grp-2', name: 'ops.team', metadata: {} },
  ],
};

function rendered(pattern: string, who: IdentityInfo | undefined = identity): string | undefined {
  const p = renderTemplates(parsePolicy('t', `path "${pattern}" { capabilities = ["read"] }`), who);
  assert.equal(p.templated, false);
  return p.paths[0]?.path;
}

describe('renderTemplates', () => {
  const resolved: [string, string][] = [
    ['secret/{{identity.entity.id}}/*', 'secret/ent-1/*'],
    ['secret/{{ identity.entity.name }}', 'secret/alice'],
    ['secret/{{identity.entity.metadata.team}}/{{identity.entity.metadata.region}}', 'secret/blue/eu'],
    ['u/{{identity.entity.aliases.auth_userpass_1.id}}', 'u/alias-1'],
    ['u/{{identity.entity.aliases.auth_userpass_1.name}}', 'u/alice-up'],
    ['u/{{identity.entity.aliases.auth_userpass_1.metadata.dept}}', 'u/ops'],
    ['k/{{identity.entity.aliases.auth_kubernetes_2.metadata.service_account_namespace}}/*', 'k/payments/*'],
    ['k/{{identity.entity.aliases.auth_kubernetes_2.custom_metadata.tier}}', 'k/gold'],
    ['g/{{identity.groups.ids.grp-1.name}}/*', 'g/engineers/*'],
    ['g/{{identity.groups.names.engineers.id}}', 'g/grp-1'],
    ['g/{{identity.groups.names.ops.team.id}}', 'g/grp-2'],
    ['g/{{identity.groups.ids.grp-1.metadata.cost}}', 'g/c1'],
    ['g/{{identity.groups.names.engineers.metadata.cost}}', 'g/c1'],
  ];
  for (const [pattern, out] of resolved) {
    it(`renders "${pattern}" as "${out}"`, () => assert.equal(rendered(pattern), out));
  }

  const dropped: [string, string][] = [
    ['a missing entity metadata key', 'secret/{{identity.entity.metadata.floor}}'],
    ['an unknown alias accessor', 'u/{{identity.entity.aliases.auth_ldap_9.name}}'],
    ['a missing alias metadata key', 'u/{{identity.entity.aliases.auth_userpass_1.metadata.nope}}'],
    ['alias custom metadata that is absent', 'u/{{identity.entity.aliases.auth_userpass_1.custom_metadata.tier}}'],
    ['a group id the entity is not in', 'g/{{identity.groups.ids.grp-9.name}}'],
    ['a group name the entity is not in', 'g/{{identity.groups.names.admins.id}}'],
  ];
  for (const [what, pattern] of dropped) {
    it(`drops a path whose placeholder cannot resolve: ${what}`, () => assert.equal(rendered(pattern), undefined));
  }

  it('drops every templated path when the token has no identity, keeping the others', () => {
    const p = renderTemplates(parsePolicy('t', 'path "secret/{{identity.entity.id}}" { capabilities = ["read"] }\npath "plain" { capabilities = ["read"] }'), undefined);
    assert.deepEqual(p.paths.map((r) => r.path), ['plain']);
  });

  it('drops a path when a rendered value would inject a wildcard', () => {
    assert.equal(rendered('secret/{{identity.entity.name}}/x', { ...identity, entityName: 'al*' }), undefined);
    assert.equal(rendered('secret/{{identity.entity.name}}/x', { ...identity, entityName: '+' }), undefined);
  });

  it('drops a path when a rendered value is empty', () => {
    assert.equal(rendered('secret/{{identity.entity.name}}/x', { ...identity, entityName: '' }), undefined);
  });

  it('does not read inherited properties as metadata', () => {
    assert.equal(rendered('secret/{{identity.entity.metadata.constructor}}'), undefined);
  });

  it('returns an untemplated policy unchanged', () => {
    const p = parsePolicy('t', 'path "a" { capabilities = ["read"] }');
    assert.equal(renderTemplates(p, identity), p);
  });

  it('a rendered policy grants access on the concrete path only', () => {
    const p = parsePolicy('t', 'path "secret/data/{{identity.entity.id}}/*" { capabilities = ["read"] }');
    const a = compileAcl([renderTemplates(p, identity)]);
    assert.equal(a.check({ path: 'secret/data/ent-1/x', operation: 'read', sudoRequired: false }).kind, 'allow');
    assert.equal(a.check({ path: 'secret/data/ent-2/x', operation: 'read', sudoRequired: false }).kind, 'deny');
  });

  it('an unrendered templated path never matches its literal braces', () => {
    const a = compileAcl([parsePolicy('t', 'path "secret/{{identity.entity.id}}" { capabilities = ["read"] }')]);
    assert.deepEqual(a.capabilities('secret/{{identity.entity.id}}'), ['deny']);
  });
});
