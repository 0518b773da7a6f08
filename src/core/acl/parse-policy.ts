// Parses an ACL policy document (HCL, or JSON when it starts with `{`) into a Policy.
// Works on the syntax tree so that every error can name the line it comes from.

import {
  CofferError,
  HclSyntaxError,
  hclValueToPlain,
  parseDurationSeconds,
  parseHcl,
  type HclBody,
  type HclPlain,
  type HclPos,
  type HclValue,
} from '../../shared/index.js';
import { isCapability, LEGACY_POLICY } from './capability-bits.js';
import { hasTemplate, validateTemplate } from './templates.js';
import type { Capability, ParameterValue, PathRule, Policy } from './types.js';

class PolicyError extends Error {}

const fail = (reason: string, pos: HclPos): never => {
  throw new PolicyError(`${reason} on line ${pos.line}`);
};

// Keys Vault accepts in a path stanza but which have no effect here (enterprise features, notes).
const IGNORED_KEYS = new Set(['comment', 'mfa_methods', 'control_group', 'subscribe_event_types']);

/**
 * Parses `text` as the policy `name`. Throws CofferError('invalid_request',
 * 'failed to parse policy: …') naming the offending line for syntax and semantic errors
 * (unknown keys, unknown capabilities, bad durations, min > max wrapping TTL, bad templates).
 */
export function parsePolicy(name: string, text: string): Policy {
  let body: HclBody;
  try {
    body = parseHcl(text, name);
  } catch (e) {
    if (e instanceof HclSyntaxError) throw parseError(`At ${e.line}:${e.column}: ${e.reason}`);
    throw e;
  }
  const paths: PathRule[] = [];
  try {
    collectTopLevel(body, paths);
  } catch (e) {
    if (e instanceof PolicyError) throw parseError(e.message);
    throw e;
  }
  return { name, raw: text, paths, templated: paths.some((p) => p.templated) };
}

function parseError(reason: string): CofferError {
  return new CofferError('invalid_request', `failed to parse policy: ${reason}`);
}

function collectTopLevel(body: HclBody, out: PathRule[]): void {
  for (const a of body.attributes) {
    if (a.key === 'name') continue;
    if (a.key !== 'path') fail(`invalid key "${a.key}"`, a.pos);
    collectPathValue(a.value, out);
  }
  for (const b of body.blocks) {
    if (b.type === 'name') continue;
    if (b.type !== 'path') fail(`invalid key "${b.type}"`, b.pos);
    if (b.labels.length === 1) out.push(parseStanza(b.labels[0] ?? '', b.body, b.pos));
    else if (b.labels.length === 0) collectPatternsFromBody(b.body, out);
    else fail('path must have exactly one pattern', b.pos);
  }
}

// `path = { "<pattern>" = {...} }` (JSON) or `path = [ {...}, {...} ]` (JSON with repeated keys).
function collectPathValue(v: HclValue, out: PathRule[]): void {
  if (v.kind === 'object') collectPatternsFromBody(v.body, out);
  else if (v.kind === 'list') for (const item of v.items) collectPathValue(item, out);
  else fail('path must be an object of patterns', v.pos);
}

function collectPatternsFromBody(body: HclBody, out: PathRule[]): void {
  for (const a of body.attributes) {
    if (a.value.kind !== 'object') fail(`path "${a.key}": rules must be an object`, a.pos);
    else out.push(parseStanza(a.key, a.value.body, a.pos));
  }
  for (const b of body.blocks) {
    if (b.labels.length !== 0) fail(`path "${b.type}": unexpected labels`, b.pos);
    out.push(parseStanza(b.type, b.body, b.pos));
  }
}

function parseStanza(rawPattern: string, body: HclBody, pos: HclPos): PathRule {
  const path = rawPattern.startsWith('/') ? rawPattern.slice(1) : rawPattern;
  const where = `path "${rawPattern}"`;
  const caps = new Set<Capability>();
  let allowed = new Map<string, ParameterValue[]>();
  let denied = new Map<string, ParameterValue[]>();
  let required: string[] = [];
  let minTtl = 0;
  let maxTtl = 0;
  let minPos = pos;

  for (const b of body.blocks) {
    // HCL1 also allows `allowed_parameters { ... }` written as a block.
    if (b.labels.length === 0 && (b.type === 'allowed_parameters' || b.type === 'denied_parameters')) {
      const m = parseParameterMap(where, b.type, { kind: 'object', body: b.body, pos: b.pos });
      if (b.type === 'allowed_parameters') allowed = m;
      else denied = m;
    } else if (!IGNORED_KEYS.has(b.type)) {
      fail(`${where}: invalid key "${b.type}"`, b.pos);
    }
  }
  for (const a of body.attributes) {
    switch (a.key) {
      case 'capabilities': {
        if (a.value.kind !== 'list') fail(`${where}: capabilities must be a list of strings`, a.pos);
        const items = a.value.kind === 'list' ? a.value.items : [];
        for (const item of items) {
          if (item.kind !== 'string') fail(`${where}: capabilities must be a list of strings`, item.pos);
          const c = item.kind === 'string' ? item.value : '';
          if (!isCapability(c)) fail(`${where}: invalid capability "${c}"`, item.pos);
          else caps.add(c);
        }
        break;
      }
      case 'policy': {
        const v = a.value.kind === 'string' ? a.value.value : undefined;
        const mapped = v !== undefined && Object.prototype.hasOwnProperty.call(LEGACY_POLICY, v) ? LEGACY_POLICY[v] : undefined;
        if (mapped === undefined) fail(`${where}: invalid policy "${v ?? a.value.kind}"`, a.pos);
        else for (const c of mapped) caps.add(c);
        break;
      }
      case 'allowed_parameters':
        allowed = parseParameterMap(where, a.key, a.value);
        break;
      case 'denied_parameters':
        denied = parseParameterMap(where, a.key, a.value);
        break;
      case 'required_parameters':
        required = parseStringList(where, a.key, a.value).map((s) => s.toLowerCase());
        break;
      case 'min_wrapping_ttl':
        minTtl = parseTtl(where, a.key, a.value);
        minPos = a.pos;
        break;
      case 'max_wrapping_ttl':
        maxTtl = parseTtl(where, a.key, a.value);
        break;
      default:
        if (!IGNORED_KEYS.has(a.key)) fail(`${where}: invalid key "${a.key}"`, a.pos);
    }
  }
  if (minTtl > 0 && maxTtl > 0 && maxTtl < minTtl) {
    fail(`${where}: max_wrapping_ttl cannot be less than min_wrapping_ttl`, minPos);
  }
  const templated = hasTemplate(path);
  if (templated) {
    const bad = validateTemplate(path);
    if (bad !== undefined) fail(`${where}: failed to validate policy templating: ${bad}`, pos);
  }
  const capabilities: Capability[] = caps.has('deny') ? ['deny'] : [...caps].sort();
  return {
    path,
    capabilities,
    allowedParameters: allowed,
    deniedParameters: denied,
    requiredParameters: [...new Set(required)],
    minWrappingTtl: minTtl,
    maxWrappingTtl: maxTtl,
    templated,
    line: pos.line,
  };
}

function parseParameterMap(where: string, key: string, v: HclValue): Map<string, ParameterValue[]> {
  if (v.kind !== 'object') fail(`${where}: ${key} must be an object`, v.pos);
  const out = new Map<string, ParameterValue[]>();
  if (v.kind !== 'object') return out;
  for (const a of v.body.attributes) {
    const plain: HclPlain = hclValueToPlain(a.value);
    // A single value is read as a one-element list; `[]` keeps its meaning of "any value".
    out.set(a.key.toLowerCase(), Array.isArray(plain) ? plain : [plain]);
  }
  for (const b of v.body.blocks) fail(`${where}: ${key}: unexpected block "${b.type}"`, b.pos);
  return out;
}

function parseStringList(where: string, key: string, v: HclValue): string[] {
  if (v.kind === 'string') return [v.value];
  if (v.kind !== 'list') return fail(`${where}: ${key} must be a list of strings`, v.pos);
  return v.items.map((item) => (item.kind === 'string' ? item.value : fail(`${where}: ${key} must be a list of strings`, item.pos)));
}

function parseTtl(where: string, key: string, v: HclValue): number {
  const raw = v.kind === 'string' || v.kind === 'number' ? v.value : undefined;
  if (raw === undefined) return fail(`${where}: invalid ${key}: expected a duration`, v.pos);
  let secs: number;
  try {
    secs = parseDurationSeconds(raw, key);
  } catch (e) {
    return fail(`${where}: ${e instanceof Error ? e.message : `invalid ${key}`}`, v.pos);
  }
  if (secs < 0) fail(`${where}: invalid ${key}: must not be negative`, v.pos);
  return secs;
}
