// sys/loggers: read and change log levels at run time, for all loggers or one by name (the
// component a core logger belongs to: core, token, expiration, audit, http, …).

import { dataResponse, definePath, noContent } from '../../sdk/index.js';
import type { LogLevelControl } from '../../shared/index.js';
import { CofferError, parseLogLevel } from '../../shared/index.js';

function level(raw: string | undefined) {
  const l = parseLogLevel(raw ?? '');
  if (l === undefined || l === 'off') throw new CofferError('invalid_request', `invalid level provided: ${JSON.stringify(raw ?? '')}`);
  return l;
}

export function loggerPaths(control: LogLevelControl) {
  const levels = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, l] of Object.entries(control.levels())) out[name === '' ? 'root' : name] = l;
    return out;
  };
  return [
    definePath({
      pattern: 'loggers',
      fields: { level: { type: 'string' } },
      operations: {
        read: async () => dataResponse(levels()),
        update: async (req) => {
          control.setLevel(level(req.fields.level));
          return noContent();
        },
        delete: async () => {
          control.reset();
          return noContent();
        },
      },
      help: 'Read or set the level of every logger.',
    }),
    definePath({
      pattern: 'loggers/:name',
      fields: { level: { type: 'string' } },
      operations: {
        read: async (req) => {
          const name = req.params['name'] ?? '';
          const all = levels();
          if (!(name in all)) throw new CofferError('invalid_request', `logger ${JSON.stringify(name)} not found`);
          return dataResponse({ [name]: all[name] });
        },
        update: async (req) => {
          const name = req.params['name'] ?? '';
          if (!control.setLevel(level(req.fields.level), name === 'root' ? undefined : name)) throw new CofferError('invalid_request', `logger ${JSON.stringify(name)} not found`);
          return noContent();
        },
        delete: async (req) => {
          const name = req.params['name'] ?? '';
          if (!control.reset(name === 'root' ? undefined : name)) throw new CofferError('invalid_request', `logger ${JSON.stringify(name)} not found`);
          return noContent();
        },
      },
      help: 'Read, set or reset the level of one logger.',
    }),
  ];
}
