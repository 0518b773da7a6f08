// sys/host-info, sys/internal/counters/tokens and sys/config/state/sanitized: what the server
// runs on, how many tokens it holds, and its configuration without secrets.

import { cpus, freemem, hostname, loadavg, release, totalmem, type as osType, uptime, arch } from 'node:os';
import { dataResponse, definePath } from '../../sdk/index.js';
import type { Clock } from '../../shared/index.js';
import type { TokenStore } from '../token/index.js';

export function hostPaths(deps: { tokens: TokenStore; clock: Clock; sanitizedConfig: () => Record<string, unknown> }) {
  return [
    definePath({
      pattern: 'host-info',
      operations: {
        read: async () => {
          const total = totalmem();
          const free = freemem();
          const now = deps.clock.now();
          return dataResponse({
            cpu: cpus().map((c, i) => ({ cpu: i, modelName: c.model, mhz: c.speed, cores: 1 })),
            cpu_times: cpus().map((c, i) => ({ cpu: `cpu${i}`, user: c.times.user / 1000, system: c.times.sys / 1000, idle: c.times.idle / 1000, nice: c.times.nice / 1000, irq: c.times.irq / 1000 })),
            disk: [],
            host: {
              hostname: hostname(),
              uptime: Math.floor(uptime()),
              bootTime: Math.floor(now / 1000 - uptime()),
              os: process.platform,
              platform: osType(),
              kernelVersion: release(),
              kernelArch: arch(),
              procs: 0,
              load: loadavg(),
            },
            memory: { total, available: free, used: total - free, free, usedPercent: total > 0 ? ((total - free) / total) * 100 : 0 },
            timestamp: new Date(now).toISOString(),
          });
        },
      },
      help: 'Information about the host the server runs on.',
    }),
    definePath({
      pattern: 'internal/counters/tokens',
      operations: {
        read: async () => dataResponse({ counters: { service_tokens: { total: await deps.tokens.countServiceTokens() } } }),
      },
      help: 'How many service tokens are stored.',
    }),
    definePath({
      pattern: 'config/state/sanitized',
      operations: { read: async () => dataResponse(deps.sanitizedConfig()) },
      help: 'The server configuration, without secrets.',
    }),
  ];
}
