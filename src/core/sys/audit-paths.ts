// sys/audit (list, enable, disable) and sys/audit-hash, all sudo-protected.

import { dataResponse, definePath, noContent } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { AuditBroker } from '../audit/index.js';

/** Device options as Vault stores them: strings (numbers and booleans are accepted and stringified). */
function stringOptions(v: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v ?? {})) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw new CofferError('invalid_request', `audit option ${JSON.stringify(k)} must be a string`);
  }
  return out;
}

export function auditPaths(audit: AuditBroker) {
  return [
    definePath({
      pattern: 'audit/?',
      operations: {
        read: async () => {
          const out: Record<string, unknown> = {};
          for (const d of audit.list()) out[d.path] = { type: d.type, description: d.description, options: d.options, local: d.local, path: d.path };
          return dataResponse(out);
        },
      },
      help: 'List the enabled audit devices.',
    }),
    definePath({
      pattern: 'audit/*path',
      fields: { type: { type: 'string' }, description: { type: 'string' }, options: { type: 'map' }, local: { type: 'bool' } },
      operations: {
        update: async (req) => {
          await audit.enable(req.params['path'] ?? '', {
            type: req.fields.type ?? '',
            description: req.fields.description ?? '',
            options: stringOptions(req.fields.options),
            local: req.fields.local ?? false,
          });
          return noContent();
        },
        delete: async (req) => {
          await audit.disable(req.params['path'] ?? '');
          return noContent();
        },
      },
      help: 'Enable or disable an audit device.',
    }),
    definePath({
      pattern: 'audit-hash/*path',
      fields: { input: { type: 'string' } },
      operations: {
        update: async (req) => dataResponse({ hash: audit.hash(req.params['path'] ?? '', req.fields.input ?? '') }),
      },
      help: "The HMAC of a value under an audit device's salt.",
    }),
  ];
}
