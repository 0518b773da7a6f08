// The password policy store behind sys/policies/password: named policies kept in the barrier as
// their source text, parsed (and cached) for generation by secrets engines.

import type { Storage } from '../../sdk/index.js';
import { getJson, putJson } from '../../sdk/index.js';
import type { PasswordPolicy } from '../../shared/index.js';
import { CofferError, DEFAULT_PASSWORD_POLICY, generatePassword, parsePasswordPolicy } from '../../shared/index.js';

export interface PasswordPolicies {
  read(name: string): Promise<string | undefined>;
  /** Validates and stores `text`; throws invalid_request when it is not a usable policy. */
  write(name: string, text: string): Promise<void>;
  delete(name: string): Promise<void>;
  list(): Promise<string[]>;
  /** A password from the named policy (400 when missing), or from the default policy for "". */
  generate(name?: string): Promise<string>;
}

function checkName(name: string): string {
  if (name === '' || !/^[A-Za-z0-9_.-]+$/.test(name)) throw new CofferError('invalid_request', `invalid password policy name ${JSON.stringify(name)}`);
  return name;
}

/** `storage` is the store's barrier view (`sys/password_policy/`). */
export function createPasswordPolicies(storage: Storage): PasswordPolicies {
  const parsed = new Map<string, PasswordPolicy>();
  const load = async (name: string): Promise<string | undefined> => {
    const v = (await getJson(storage, checkName(name))) as { policy?: unknown } | undefined;
    return typeof v?.policy === 'string' ? v.policy : undefined;
  };
  return {
    read: load,
    async write(name, text) {
      const policy = parsePasswordPolicy(text);
      await putJson(storage, checkName(name), { policy: text });
      parsed.set(name, policy);
    },
    async delete(name) {
      await storage.delete(checkName(name));
      parsed.delete(name);
    },
    list: () => storage.list(''),
    async generate(name = '') {
      if (name === '') return generatePassword(DEFAULT_PASSWORD_POLICY);
      let policy = parsed.get(name);
      if (policy === undefined) {
        const text = await load(name);
        if (text === undefined) throw new CofferError('invalid_request', `password policy ${JSON.stringify(name)} does not exist`);
        policy = parsePasswordPolicy(text);
        parsed.set(name, policy);
      }
      return generatePassword(policy);
    },
  };
}
