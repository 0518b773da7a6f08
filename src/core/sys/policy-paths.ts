// sys/policy (legacy, used by node-vault and hvac) and sys/policies/acl (the Go client and CLI).

import type { PathRequest } from '../../sdk/index.js';
import { dataResponse, definePath, listResponse, noContent } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { PolicyStore } from '../policy/policy-store.js';

type Empty = Record<never, never>;

const policyFields = { policy: { type: 'string' as const }, rules: { type: 'string' as const } };

/** The policy text from `policy` or `rules`; the modern endpoint also accepts base64. */
function policyText(req: PathRequest<typeof policyFields>, allowBase64: boolean): string {
  const text = req.fields.policy ?? req.fields.rules ?? '';
  if (text.trim() === '') throw new CofferError('invalid_request', "'policy' parameter not supplied or empty");
  if (allowBase64 && /^[A-Za-z0-9+/]+={0,2}$/.test(text.trim()) && text.trim().length % 4 === 0) {
    const decoded = Buffer.from(text.trim(), 'base64').toString('utf8');
    if (decoded.includes('path')) return decoded;
  }
  return text;
}

export function policyPaths(policies: PolicyStore) {
  const name = (req: { params: Readonly<Record<string, string>> }): string => req.params['name'] ?? '';
  return [
    definePath({
      pattern: 'policy/?',
      operations: {
        read: async () => {
          const keys = await policies.list();
          return dataResponse({ keys, policies: keys });
        },
        list: async () => {
          const keys = await policies.list();
          return dataResponse({ keys, policies: keys });
        },
      },
    }),
    definePath({
      pattern: 'policy/:name',
      fields: policyFields,
      operations: {
        read: async (req) => {
          const text = await policies.read(name(req));
          if (text === undefined) return noContent();
          return dataResponse({ name: name(req).toLowerCase(), rules: text });
        },
        update: async (req) => {
          await policies.write(name(req), policyText(req, false));
          return noContent();
        },
        delete: async (req) => {
          await policies.delete(name(req));
          return noContent();
        },
      },
    }),
    definePath<Empty>({
      pattern: 'policies/acl/?',
      operations: { list: async () => listResponse(await policies.list()) },
    }),
    definePath({
      pattern: 'policies/acl/:name',
      fields: policyFields,
      operations: {
        read: async (req) => {
          const text = await policies.read(name(req));
          if (text === undefined) return noContent();
          return dataResponse({ name: name(req).toLowerCase(), policy: text });
        },
        update: async (req) => {
          await policies.write(name(req), policyText(req, true));
          return noContent();
        },
        delete: async (req) => {
          await policies.delete(name(req));
          return noContent();
        },
      },
    }),
  ];
}
