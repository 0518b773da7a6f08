// The ACL policy store: policies persisted (encrypted) in the barrier, parsed once and kept in
// memory, `default` created on first unseal, `root` built in. Compiled ACLs are cached per policy
// set and dropped on any change, so a policy edit takes effect on the next request.

import type { Storage } from '../../sdk/index.js';
import { getJson, putJson } from '../../sdk/index.js';
import { CofferError, createKeyedMutex } from '../../shared/index.js';
import type { Acl, IdentityInfo, Policy } from '../acl/index.js';
import { compileAcl, createAclCache, DEFAULT_POLICY_TEXT, parsePolicy, renderTemplates } from '../acl/index.js';
import { RESPONSE_WRAPPING_POLICY, RESPONSE_WRAPPING_POLICY_TEXT } from '../wrapping.js';

export interface PolicyStore {
  /** Creates `default` if it has never been stored. Call after unseal. */
  setup(): Promise<void>;
  /** Sorted names, `root` included. */
  list(): Promise<string[]>;
  /** The stored text, or undefined. `root` reads as an empty policy. */
  read(name: string): Promise<string | undefined>;
  /** Parses, then stores; invalid text → invalid_request `failed to parse policy: …`. */
  write(name: string, text: string): Promise<void>;
  /** `root` and `default` cannot be deleted; a missing policy deletes fine. */
  delete(name: string): Promise<void>;
  /** The compiled ACL for a token's policy set (cached). */
  acl(policyNames: readonly string[], identity?: IdentityInfo): Promise<Acl>;
  /**
   * What `acl(policyNames)` (no identity) would answer, when that is already in memory for this
   * very array; otherwise undefined (then call `acl`). Lets the hot path skip a promise.
   */
  cachedAcl(policyNames: readonly string[]): Acl | undefined;
  /** Drops in-memory state (on seal). */
  reset(): void;
}

interface StoredPolicy {
  name: string;
  text: string;
}

/** Vault lower-cases and trims policy names; they must be non-empty and path-safe. */
export function normalizePolicyName(name: string): string {
  const n = name.trim().toLowerCase();
  if (n === '') throw new CofferError('invalid_request', 'policy name must not be empty');
  if (n.includes('/') || n.includes('..')) throw new CofferError('invalid_request', `invalid policy name ${JSON.stringify(name)}`);
  return n;
}

// The identity store hands out the same IdentityInfo object until something changes, so its
// serialised key is worth keeping.
const identityKeys = new WeakMap<IdentityInfo, string>();
function identityKey(identity: IdentityInfo | undefined): string {
  if (!identity) return '';
  let key = identityKeys.get(identity);
  if (key === undefined) identityKeys.set(identity, (key = JSON.stringify(identity)));
  return key;
}

/** storage is the policy store's barrier view (`sys/policy/`). */
export function createPolicyStore(deps: { storage: Storage; aclCacheSize?: number }): PolicyStore {
  const { storage } = deps;
  const parsed = new Map<string, Policy | null>(); // null = known to be absent
  const cache = createAclCache(deps.aclCacheSize ?? 1024);
  const lock = createKeyedMutex();

  // Built in and fixed, like root: the policy of response-wrapping tokens (never stored or listed).
  const responseWrapping = parsePolicy(RESPONSE_WRAPPING_POLICY, RESPONSE_WRAPPING_POLICY_TEXT);
  const load = async (name: string): Promise<Policy | undefined> => {
    if (name === RESPONSE_WRAPPING_POLICY) return responseWrapping;
    if (parsed.has(name)) return parsed.get(name) ?? undefined;
    const stored = (await getJson(storage, name)) as StoredPolicy | undefined;
    if (!stored || typeof stored.text !== 'string') {
      parsed.set(name, null);
      return undefined;
    }
    const p = parsePolicy(name, stored.text);
    parsed.set(name, p);
    return p;
  };

  // Per policy-name array (a token record's own array, the same object on every request of that
  // token): the compiled ACL as of `generation`. Saves the set/sort/key-building of the named
  // cache on the hot path; any policy change advances the generation and so retires it all. The
  // names are kept too, so an array changed in place since is not mistaken for the same set.
  let generation = 0;
  const byArray = new WeakMap<readonly string[], { generation: number; names: readonly string[]; acl: Acl }>();

  const cachedAcl = (policyNames: readonly string[]): Acl | undefined => {
    const hit = byArray.get(policyNames);
    if (hit === undefined || hit.generation !== generation || hit.names.length !== policyNames.length) return undefined;
    for (let i = 0; i < policyNames.length; i++) if (hit.names[i] !== policyNames[i]) return undefined;
    return hit.acl;
  };

  const changed = (): void => {
    generation++;
    cache.invalidate();
  };

  return {
    async setup() {
      if ((await storage.get('default')) === undefined) {
        await putJson(storage, 'default', { name: 'default', text: DEFAULT_POLICY_TEXT } satisfies StoredPolicy);
      }
    },

    async list() {
      const names = (await storage.list('')).filter((n) => !n.endsWith('/'));
      return [...new Set([...names, 'root'])].sort();
    },

    async read(rawName) {
      const name = normalizePolicyName(rawName);
      if (name === 'root') return '';
      const stored = (await getJson(storage, name)) as StoredPolicy | undefined;
      return stored?.text;
    },

    write(rawName, text) {
      const name = normalizePolicyName(rawName);
      if (name === 'root') return Promise.reject(new CofferError('invalid_request', 'cannot update "root" policy'));
      if (name === RESPONSE_WRAPPING_POLICY) return Promise.reject(new CofferError('invalid_request', `cannot update "${RESPONSE_WRAPPING_POLICY}" policy`));
      const policy = parsePolicy(name, text);
      return lock.run(name, async () => {
        await putJson(storage, name, { name, text } satisfies StoredPolicy);
        parsed.set(name, policy);
        changed();
      });
    },

    delete(rawName) {
      const name = normalizePolicyName(rawName);
      if (name === 'root') return Promise.reject(new CofferError('invalid_request', 'cannot delete "root" policy'));
      if (name === 'default') return Promise.reject(new CofferError('invalid_request', 'cannot delete default policy'));
      return lock.run(name, async () => {
        await storage.delete(name);
        parsed.set(name, null);
        changed();
      });
    },

    async acl(policyNames, identity) {
      if (identity === undefined) {
        const hit = cachedAcl(policyNames);
        if (hit !== undefined) return hit;
        const startedAt = generation;
        const names = [...policyNames];
        const acl = await compileFor(names, undefined);
        if (startedAt === generation) byArray.set(policyNames, { generation, names, acl });
        return acl;
      }
      return compileFor(policyNames, identity);
    },

    cachedAcl,

    reset() {
      parsed.clear();
      changed();
    },
  };

  async function compileFor(policyNames: readonly string[], identity: IdentityInfo | undefined): Promise<Acl> {
    const names = [...new Set(policyNames)];
    const policies: Policy[] = [];
    let templated = false;
    if (names.includes('root')) policies.push({ name: 'root', raw: '', paths: [], templated: false });
    for (const n of names) {
      if (n === 'root') continue;
      const p = await load(n);
      if (p) {
        policies.push(p);
        templated ||= p.templated;
      }
    }
    const key = templated ? identityKey(identity) : '';
    return cache.get(names, key, () => compileAcl(templated ? policies.map((p) => (p.templated ? renderTemplates(p, identity) : p)) : policies));
  }
}
