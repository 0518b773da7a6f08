// Specification of what the built-in default policy grants.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileAcl, DEFAULT_POLICY_TEXT, parsePolicy, renderTemplates, type AclOperation } from './index.js';

const policy = parsePolicy('default', DEFAULT_POLICY_TEXT);
const withIdentity = compileAcl([
  renderTemplates(policy, { entityId: 'e1', entityName: 'alice', entityMetadata: {}, aliases: {}, groups: [] }),
]);
const anonymous = compileAcl([renderTemplates(policy, undefined)]);

describe('DEFAULT_POLICY_TEXT', () => {
  it('parses and is templated', () => {
    assert.equal(policy.templated, true);
  });

  const grants: [AclOperation, string][] = [
    ['read', 'auth/token/lookup-self'],
    ['update', 'auth/token/renew-self'],
    ['update', 'auth/token/revoke-self'],
    ['update', 'sys/capabilities-self'],
    ['update', 'sys/leases/lookup'],
    ['update', 'sys/leases/renew'],
    ['update', 'sys/renew'],
    ['create', 'cubbyhole/anything'],
    ['read', 'cubbyhole/response'],
    ['list', 'cubbyhole/'],
    ['delete', 'cubbyhole/x/y'],
    ['update', 'sys/wrapping/wrap'],
    ['update', 'sys/wrapping/lookup'],
    ['update', 'sys/wrapping/unwrap'],
    ['update', 'sys/tools/hash'],
    ['update', 'sys/tools/hash/sha2-256'],
    ['read', 'sys/internal/ui/resultant-acl'],
    ['read', 'identity/oidc/provider/default/authorize'],
  ];
  for (const [operation, path] of grants) {
    it(`allows ${operation} on ${path}`, () => {
      assert.equal(anonymous.check({ path, operation, sudoRequired: false }).kind, 'allow');
    });
  }

  const refusals: [AclOperation, string][] = [
    ['read', 'secret/foo'],
    ['update', 'auth/token/create'],
    ['read', 'sys/policies/acl/default'],
    ['update', 'sys/wrapping/rewrap'],
    ['read', 'identity/entity/id/e2'],
  ];
  for (const [operation, path] of refusals) {
    it(`refuses ${operation} on ${path}`, () => {
      assert.equal(withIdentity.check({ path, operation, sudoRequired: false }).kind, 'deny');
    });
  }

  it('lets an entity read itself by id and name, and nothing when there is no entity', () => {
    assert.equal(withIdentity.check({ path: 'identity/entity/id/e1', operation: 'read', sudoRequired: false }).kind, 'allow');
    assert.equal(withIdentity.check({ path: 'identity/entity/name/alice', operation: 'read', sudoRequired: false }).kind, 'allow');
    assert.deepEqual(anonymous.capabilities('identity/entity/id/e1'), ['deny']);
  });
});
