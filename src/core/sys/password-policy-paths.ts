// sys/policies/password: CRUD of password policies and `generate` from one.

import { dataResponse, definePath, listResponse, noContent } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { PasswordPolicies } from '../policy/password-policies.js';

/** The policy text as sent, or base64 of it (both forms are accepted, as Vault does). */
function policyText(raw: string | undefined): string {
  const text = (raw ?? '').trim();
  if (text === '') throw new CofferError('invalid_request', "missing field 'policy'");
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0) {
    const decoded = Buffer.from(text, 'base64').toString('utf8');
    if (decoded.includes('length')) return decoded;
  }
  return raw ?? '';
}

export function passwordPolicyPaths(store: PasswordPolicies) {
  const name = (req: { params: Readonly<Record<string, string>> }): string => req.params['name'] ?? '';
  return [
    definePath({
      pattern: 'policies/password/?',
      operations: { list: async () => listResponse(await store.list()) },
      help: 'List password policies.',
    }),
    definePath({
      pattern: 'policies/password/:name/generate',
      operations: { read: async (req) => dataResponse({ password: await store.generate(name(req)) }) },
      help: 'Generate a password from a policy.',
    }),
    definePath({
      pattern: 'policies/password/:name',
      fields: { policy: { type: 'string' } },
      operations: {
        read: async (req) => {
          const text = await store.read(name(req));
          return text === undefined ? noContent() : dataResponse({ policy: text });
        },
        update: async (req) => {
          await store.write(name(req), policyText(req.fields.policy));
          return noContent();
        },
        delete: async (req) => {
          await store.delete(name(req));
          return noContent();
        },
      },
      help: 'Read, write or delete a password policy.',
    }),
  ];
}
