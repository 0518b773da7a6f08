// core/acl: ACL policies — parsing (HCL/JSON), identity templating, compilation into a fast
// matcher with Vault's priority rules, and a cache of compiled ACLs. Pure: no HTTP, no storage.
export type {
  Acl,
  AclDecision,
  AclDenyReason,
  AclOperation,
  AclRequest,
  Capability,
  IdentityAliasInfo,
  IdentityGroupInfo,
  IdentityInfo,
  ParameterValue,
  PathRule,
  Policy,
} from './types.js';
export { parsePolicy } from './parse-policy.js';
export { renderTemplates } from './templates.js';
export { compileAcl } from './compile-acl.js';
export { createAclCache, type AclCache } from './acl-cache.js';
export { DEFAULT_POLICY_TEXT } from './default-policy.js';
