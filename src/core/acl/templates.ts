// Identity templating in policy path patterns: `{{identity.entity.id}}` and friends.
// Parsing validates placeholders; rendering substitutes them per token, dropping what cannot resolve.

import type { IdentityInfo, PathRule, Policy } from './types.js';

type Selector =
  | { readonly kind: 'entity-id' }
  | { readonly kind: 'entity-name' }
  | { readonly kind: 'entity-metadata'; readonly key: string }
  | { readonly kind: 'alias-field'; readonly accessor: string; readonly field: 'id' | 'name' }
  | { readonly kind: 'alias-metadata'; readonly accessor: string; readonly key: string; readonly custom: boolean }
  | { readonly kind: 'group-by-id'; readonly id: string; readonly field: 'name' | { readonly metadata: string } }
  | { readonly kind: 'group-by-name'; readonly name: string; readonly field: 'id' | { readonly metadata: string } };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** True when `pattern` contains any `{{` or `}}` (a placeholder, valid or not). */
export function hasTemplate(pattern: string): boolean {
  return pattern.includes('{{') || pattern.includes('}}');
}

/** Returns undefined when valid, otherwise a reason naming the bad placeholder. */
export function validateTemplate(pattern: string): string | undefined {
  let bad: string | undefined;
  const rest = pattern.replace(PLACEHOLDER, (_m, inner: string) => {
    if (bad === undefined && parseSelector(inner) === undefined) bad = `unknown template parameter "${inner}"`;
    return '';
  });
  if (bad !== undefined) return bad;
  if (rest.includes('{{') || rest.includes('}}')) return 'unbalanced template braces';
  return undefined;
}

function splitField(rest: string, simpleFields: readonly string[]): { owner: string; field: string } | undefined {
  for (const f of simpleFields) {
    if (rest.endsWith(`.${f}`) && rest.length > f.length + 1) return { owner: rest.slice(0, -(f.length + 1)), field: f };
  }
  return undefined;
}

function parseSelector(s: string): Selector | undefined {
  if (s === 'identity.entity.id') return { kind: 'entity-id' };
  if (s === 'identity.entity.name') return { kind: 'entity-name' };
  const em = 'identity.entity.metadata.';
  if (s.startsWith(em) && s.length > em.length) return { kind: 'entity-metadata', key: s.slice(em.length) };
  const al = 'identity.entity.aliases.';
  if (s.startsWith(al)) {
    const rest = s.slice(al.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) return undefined;
    const accessor = rest.slice(0, dot);
    const tail = rest.slice(dot + 1);
    if (tail === 'id' || tail === 'name') return { kind: 'alias-field', accessor, field: tail };
    for (const [prefix, custom] of [['metadata.', false], ['custom_metadata.', true]] as const) {
      if (tail.startsWith(prefix) && tail.length > prefix.length) {
        return { kind: 'alias-metadata', accessor, key: tail.slice(prefix.length), custom };
      }
    }
    return undefined;
  }
  for (const [prefix, byId] of [['identity.groups.ids.', true], ['identity.groups.names.', false]] as const) {
    if (!s.startsWith(prefix)) continue;
    const rest = s.slice(prefix.length);
    const simple = splitField(rest, [byId ? 'name' : 'id']);
    const meta = rest.indexOf('.metadata.');
    let owner: string;
    let field: string | { metadata: string };
    if (simple) {
      owner = simple.owner;
      field = simple.field;
    } else if (meta > 0 && meta + '.metadata.'.length < rest.length) {
      owner = rest.slice(0, meta);
      field = { metadata: rest.slice(meta + '.metadata.'.length) };
    } else {
      return undefined;
    }
    if (byId) return { kind: 'group-by-id', id: owner, field: field === 'name' ? 'name' : (field as { metadata: string }) };
    return { kind: 'group-by-name', name: owner, field: field === 'id' ? 'id' : (field as { metadata: string }) };
  }
  return undefined;
}

function own(rec: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  return rec !== undefined && Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

function resolve(sel: Selector, id: IdentityInfo): string | undefined {
  switch (sel.kind) {
    case 'entity-id':
      return id.entityId;
    case 'entity-name':
      return id.entityName;
    case 'entity-metadata':
      return own(id.entityMetadata, sel.key);
    case 'alias-field': {
      const a = Object.prototype.hasOwnProperty.call(id.aliases, sel.accessor) ? id.aliases[sel.accessor] : undefined;
      return a?.[sel.field];
    }
    case 'alias-metadata': {
      const a = Object.prototype.hasOwnProperty.call(id.aliases, sel.accessor) ? id.aliases[sel.accessor] : undefined;
      return own(sel.custom ? a?.customMetadata : a?.metadata, sel.key);
    }
    case 'group-by-id': {
      const g = id.groups.find((x) => x.id === sel.id);
      if (!g) return undefined;
      return sel.field === 'name' ? g.name : own(g.metadata, sel.field.metadata);
    }
    case 'group-by-name': {
      const g = id.groups.find((x) => x.name === sel.name);
      if (!g) return undefined;
      return sel.field === 'id' ? g.id : own(g.metadata, sel.field.metadata);
    }
  }
}

/**
 * Substitutes every placeholder in `pattern`. Returns undefined when any placeholder is unknown,
 * unresolvable or empty, or when a value would inject a wildcard (`*` or `+`) into the pattern.
 */
export function renderPattern(pattern: string, identity: IdentityInfo | undefined): string | undefined {
  if (identity === undefined) return undefined;
  let failed = false;
  const out = pattern.replace(PLACEHOLDER, (_m, inner: string) => {
    const sel = parseSelector(inner);
    const v = sel === undefined ? undefined : resolve(sel, identity);
    if (v === undefined || v === '' || v.includes('*') || v.includes('+')) failed = true;
    return v ?? '';
  });
  if (failed || out.includes('{{') || out.includes('}}')) return undefined;
  return out;
}

/**
 * Renders a policy for one identity. Templated paths become concrete patterns; a path whose
 * placeholder cannot be resolved (or when `identity` is undefined) is dropped, as Vault does.
 * Untemplated policies are returned unchanged (same object).
 */
export function renderTemplates(policy: Policy, identity: IdentityInfo | undefined): Policy {
  if (!policy.templated) return policy;
  const paths: PathRule[] = [];
  for (const rule of policy.paths) {
    if (!rule.templated) {
      paths.push(rule);
      continue;
    }
    const rendered = renderPattern(rule.path, identity);
    if (rendered !== undefined) paths.push({ ...rule, path: rendered, templated: false });
  }
  return { name: policy.name, raw: policy.raw, paths, templated: false };
}
