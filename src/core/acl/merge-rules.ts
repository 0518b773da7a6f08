// Merges the stanzas of several policies that name the same pattern into one rule, as Vault does:
// capabilities unioned (deny absorbs everything), parameter constraints unioned, the lowest
// non-zero wrapping TTL bound kept for each of min and max.

import { bitsToCapabilities, CAP, capabilitiesToBits } from './capability-bits.js';
import { compilePattern, type PathPattern } from './path-pattern.js';
import type { AclDecision, ParameterValue, PathRule, Policy } from './types.js';

export interface MergedRule {
  readonly pattern: PathPattern;
  readonly bits: number;
  /** Sorted names, `['deny']` for a denying rule. */
  readonly capabilities: readonly string[];
  readonly allowed: ReadonlyMap<string, readonly ParameterValue[]>;
  readonly denied: ReadonlyMap<string, readonly ParameterValue[]>;
  readonly required: readonly string[];
  readonly hasParameterRules: boolean;
  readonly minWrappingTtl: number;
  readonly maxWrappingTtl: number;
  /** Sorted names of the policies whose stanzas were merged into this rule. */
  readonly policies: readonly string[];
  /** Shared, pre-built allow decision so the hot path allocates nothing. */
  readonly allow: AclDecision;
}

interface Draft {
  bits: number;
  allowed: Map<string, ParameterValue[]>;
  denied: Map<string, ParameterValue[]>;
  required: Set<string>;
  minWrappingTtl: number;
  maxWrappingTtl: number;
  policies: Set<string>;
}

/** Merges all concrete (non-templated) stanzas of `policies`, keyed by pattern text. */
export function mergeRules(policies: readonly Policy[]): MergedRule[] {
  const drafts = new Map<string, Draft>();
  for (const policy of policies) {
    for (const rule of policy.paths) {
      // An unrendered template must never match its literal braces.
      if (rule.templated) continue;
      const d = drafts.get(rule.path);
      if (d === undefined) drafts.set(rule.path, draftOf(policy.name, rule));
      else mergeInto(d, policy.name, rule);
    }
  }
  const out: MergedRule[] = [];
  for (const [text, d] of drafts) {
    const capabilities = Object.freeze(bitsToCapabilities(d.bits));
    const policies = Object.freeze([...d.policies].sort());
    out.push({
      pattern: compilePattern(text),
      bits: d.bits,
      capabilities,
      allowed: d.allowed,
      denied: d.denied,
      required: [...d.required],
      hasParameterRules: d.allowed.size > 0 || d.denied.size > 0 || d.required.size > 0,
      minWrappingTtl: d.minWrappingTtl,
      maxWrappingTtl: d.maxWrappingTtl,
      policies,
      allow: Object.freeze({ kind: 'allow', capabilities, grantingPolicies: policies }),
    });
  }
  return out;
}

function draftOf(policyName: string, rule: PathRule): Draft {
  const copy = (m: ReadonlyMap<string, readonly ParameterValue[]>): Map<string, ParameterValue[]> =>
    new Map([...m].map(([k, v]) => [k, [...v]]));
  return {
    bits: capabilitiesToBits(rule.capabilities),
    allowed: copy(rule.allowedParameters),
    denied: copy(rule.deniedParameters),
    required: new Set(rule.requiredParameters),
    minWrappingTtl: rule.minWrappingTtl,
    maxWrappingTtl: rule.maxWrappingTtl,
    policies: new Set([policyName]),
  };
}

function mergeInto(d: Draft, policyName: string, rule: PathRule): void {
  d.policies.add(policyName);
  const bits = capabilitiesToBits(rule.capabilities);
  d.bits = (d.bits | bits) & CAP.deny ? CAP.deny : d.bits | bits;
  mergeParameterMap(d.allowed, rule.allowedParameters);
  mergeParameterMap(d.denied, rule.deniedParameters);
  for (const r of rule.requiredParameters) d.required.add(r);
  d.minWrappingTtl = lowestBound(d.minWrappingTtl, rule.minWrappingTtl);
  d.maxWrappingTtl = lowestBound(d.maxWrappingTtl, rule.maxWrappingTtl);
}

// For the same name, an empty list (any value) absorbs a populated one; otherwise values add up.
function mergeParameterMap(into: Map<string, ParameterValue[]>, from: ReadonlyMap<string, readonly ParameterValue[]>): void {
  for (const [k, values] of from) {
    const existing = into.get(k);
    if (existing === undefined) into.set(k, [...values]);
    else if (existing.length === 0 || values.length === 0) into.set(k, []);
    else existing.push(...values);
  }
}

// 0 means "no bound"; otherwise the lower of two bounds wins (Vault keeps lifetimes short).
function lowestBound(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  return Math.min(a, b);
}
