// The ACL module's data shapes: parsed policies, identity for templating, requests and decisions.
// Everything here is immutable plain data so compiled ACLs can be shared across requests.

/** Every capability a policy may name. `subscribe` and `recover` are accepted for compatibility. */
export type Capability =
  | 'create'
  | 'read'
  | 'update'
  | 'patch'
  | 'delete'
  | 'list'
  | 'sudo'
  | 'deny'
  | 'subscribe'
  | 'recover';

/** A value in allowed/denied parameter lists: whatever HCL or JSON produced (string, number, bool, list…). */
export type ParameterValue = string | number | boolean | null | readonly ParameterValue[] | { readonly [k: string]: ParameterValue };

/** One `path "<pattern>" { ... }` stanza after parsing. */
export interface PathRule {
  /** The pattern as written, minus a leading `/`; may contain `{{...}}` when `templated`. */
  readonly path: string;
  /** Sorted, de-duplicated; exactly `['deny']` when the stanza denies. */
  readonly capabilities: readonly Capability[];
  /** Lower-cased parameter name → allowed values (empty list = any value). Empty map = no constraint. */
  readonly allowedParameters: ReadonlyMap<string, readonly ParameterValue[]>;
  /** Lower-cased parameter name → denied values (empty list = every value). */
  readonly deniedParameters: ReadonlyMap<string, readonly ParameterValue[]>;
  /** Lower-cased parameter names that must be present. */
  readonly requiredParameters: readonly string[];
  /** Seconds; 0 = no bound. */
  readonly minWrappingTtl: number;
  readonly maxWrappingTtl: number;
  /** The pattern holds identity placeholders and must be rendered before it can match anything. */
  readonly templated: boolean;
  /** 1-based source line of the stanza (0 when synthesised). */
  readonly line: number;
}

export interface Policy {
  readonly name: string;
  /** The policy text exactly as submitted. */
  readonly raw: string;
  readonly paths: readonly PathRule[];
  /** True when at least one path pattern is templated. */
  readonly templated: boolean;
}

export interface IdentityGroupInfo {
  readonly id: string;
  readonly name: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface IdentityAliasInfo {
  readonly id: string;
  readonly name: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly customMetadata?: Readonly<Record<string, string>>;
}

/** What templated policies may read about the token's entity. */
export interface IdentityInfo {
  readonly entityId: string;
  readonly entityName: string;
  readonly entityMetadata: Readonly<Record<string, string>>;
  /** Keyed by the auth mount accessor. */
  readonly aliases: Readonly<Record<string, IdentityAliasInfo>>;
  readonly groups: readonly IdentityGroupInfo[];
}

export type AclOperation = 'read' | 'list' | 'create' | 'update' | 'patch' | 'delete';

export interface AclRequest {
  readonly path: string;
  readonly operation: AclOperation;
  /** Request parameters, used by allowed/denied/required parameter rules. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Requested response-wrapping TTL in seconds; absent or 0 = not wrapped. */
  readonly wrapTtl?: number;
  /** The path is root-protected: the matched rule must also grant `sudo`. */
  readonly sudoRequired: boolean;
}

export type AclDenyReason =
  | 'no-rule'
  | 'deny-capability'
  | 'missing-capability'
  | 'missing-sudo'
  | 'denied-parameter'
  | 'missing-required-parameter'
  | 'wrap-ttl-too-short'
  | 'wrap-ttl-too-long'
  | 'wrapping-required';

export type AclDecision =
  | { readonly kind: 'allow'; readonly capabilities: readonly string[]; readonly grantingPolicies?: readonly string[] }
  | { readonly kind: 'deny'; readonly reason: AclDenyReason };

/** A compiled, immutable ACL for one set of policies (and one identity, when templated). */
export interface Acl {
  readonly isRoot: boolean;
  /** Decides one request. Never throws. */
  check(req: AclRequest): AclDecision;
  /** Sorted capabilities on `path`: `['root']` for root ACLs, `['deny']` when nothing matches or denies. */
  capabilities(path: string): string[];
  /** Whether any non-deny rule can match a path at or under the folder `prefix` (Vault's mount access check). */
  hasAccessUnder(prefix: string): boolean;
}
