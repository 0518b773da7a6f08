// compileAcl: turns a token's policies into an immutable Acl answering check() and capabilities().

import { CAP, OPERATION_BIT } from './capability-bits.js';
import { mergeRules, type MergedRule } from './merge-rules.js';
import { checkParameters } from './parameters.js';
import { buildRuleIndex, type RuleIndex } from './rule-index.js';
import type { Acl, AclDecision, AclDenyReason, AclRequest, Policy } from './types.js';

const ROOT_ALLOW: AclDecision = Object.freeze({
  kind: 'allow',
  capabilities: Object.freeze(['root']),
  grantingPolicies: Object.freeze(['root']),
});

const DENY: Readonly<Record<AclDenyReason, AclDecision>> = Object.freeze({
  'no-rule': deny('no-rule'),
  'deny-capability': deny('deny-capability'),
  'missing-capability': deny('missing-capability'),
  'missing-sudo': deny('missing-sudo'),
  'denied-parameter': deny('denied-parameter'),
  'missing-required-parameter': deny('missing-required-parameter'),
  'wrap-ttl-too-short': deny('wrap-ttl-too-short'),
  'wrap-ttl-too-long': deny('wrap-ttl-too-long'),
  'wrapping-required': deny('wrapping-required'),
});

function deny(reason: AclDenyReason): AclDecision {
  return Object.freeze({ kind: 'deny', reason });
}

/**
 * Compiles policies (already rendered with renderTemplates when templated; unrendered templated
 * paths are ignored) into an Acl. A policy named `root` yields a root ACL that allows everything.
 * Stanzas with the same pattern merge; for a request, the single highest-priority matching
 * pattern decides (see comparePriority).
 */
export function compileAcl(policies: readonly Policy[]): Acl {
  if (policies.some((p) => p.name === 'root')) return ROOT_ACL;
  const rules = mergeRules(policies);
  return new CompiledAcl(buildRuleIndex(rules), rules);
}

const ROOT_ACL: Acl = Object.freeze({
  isRoot: true,
  check: (): AclDecision => ROOT_ALLOW,
  capabilities: (): string[] => ['root'],
  hasAccessUnder: (): boolean => true,
});

class CompiledAcl implements Acl {
  readonly isRoot = false;

  constructor(
    private readonly index: RuleIndex<MergedRule>,
    private readonly rules: readonly MergedRule[],
  ) {}

  hasAccessUnder(prefix: string): boolean {
    const want = prefix.replace(/\/+$/, '').split('/');
    return this.rules.some((r) => !(r.capabilities.length === 1 && r.capabilities[0] === 'deny') && couldMatchUnder(r.pattern, want));
  }

  check(req: AclRequest): AclDecision {
    const op = req.operation;
    const rule = op === 'list' ? this.findForList(req.path) : this.index.find(req.path);
    if (rule === undefined) return DENY['no-rule'];
    const bits = rule.bits;
    if (bits & CAP.deny) return DENY['deny-capability'];
    if ((bits & OPERATION_BIT[op]) === 0) return DENY['missing-capability'];
    if (req.sudoRequired && (bits & CAP.sudo) === 0) return DENY['missing-sudo'];
    if (rule.maxWrappingTtl > 0 || rule.minWrappingTtl > 0) {
      const verdict = wrapVerdict(rule, req.wrapTtl ?? 0);
      if (verdict !== undefined) return DENY[verdict];
    }
    // Vault evaluates parameter rules on the operations that carry parameters, reads included.
    if (rule.hasParameterRules && op !== 'delete' && op !== 'list') {
      const verdict = checkParameters(rule, req.data);
      if (verdict !== 'ok') return DENY[verdict];
    }
    return rule.allow;
  }

  capabilities(path: string): string[] {
    const rule = this.index.find(path);
    if (rule === undefined || rule.capabilities.length === 0) return ['deny'];
    return [...rule.capabilities];
  }

  // Lists work on folders: the path is taken as `foo/` (the HTTP layer normally adds the slash)
  // and, as in Vault, a rule written for `foo` also covers listing `foo/`. Literal rules for
  // either spelling beat wildcard rules for either spelling.
  private findForList(path: string): MergedRule | undefined {
    if (path === '') return this.index.find(path);
    const folder = path.endsWith('/') ? path : `${path}/`;
    const bare = folder.slice(0, -1);
    const ix = this.index;
    return ix.findLiteral(folder) ?? ix.findLiteral(bare) ?? ix.findWildcard(folder) ?? ix.findWildcard(bare);
  }
}

function wrapVerdict(rule: MergedRule, ttl: number): AclDenyReason | undefined {
  // Either bound makes wrapping mandatory on the path, as in Vault.
  if (ttl <= 0) return 'wrapping-required';
  if (rule.maxWrappingTtl > 0 && ttl > rule.maxWrappingTtl) return 'wrap-ttl-too-long';
  if (rule.minWrappingTtl > 0 && ttl < rule.minWrappingTtl) return 'wrap-ttl-too-short';
  return undefined;
}

/** Whether `pattern` can match some path at or below the folder whose segments are `prefix`. */
function couldMatchUnder(pattern: MergedRule['pattern'], prefix: readonly string[]): boolean {
  const segs = pattern.segments;
  const n = Math.min(segs.length, prefix.length);
  for (let i = 0; i < n; i++) {
    const seg = segs[i] ?? '';
    const want = prefix[i] ?? '';
    const lastOfGlob = pattern.glob && i === segs.length - 1;
    if (seg === '+') continue;
    if (lastOfGlob) return want.startsWith(seg);
    if (seg !== want) return false;
  }
  // Every shared segment matched: a longer pattern lies under the folder; a shorter one only
  // reaches it through its glob (an exact match of the folder itself also counts).
  return segs.length >= prefix.length || pattern.glob;
}
