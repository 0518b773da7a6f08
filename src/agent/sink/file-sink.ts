// The `file` sink: writes each new auto-auth token to a file (atomically, with its mode), or,
// with wrap_ttl, a response-wrapped token (the JSON of wrap_info, as Vault Agent writes it).

import { writeFileAtomic } from '../atomic-file.js';
import type { FileSinkConfig } from '../config/types.js';
import type { VaultConnection } from '../vault-connection.js';
import { vaultCall } from '../vault-connection.js';

export interface Sink {
  readonly path: string;
  /** Writes `token`; rejects when the write (or the wrapping call) fails. */
  write(token: string): Promise<void>;
}

export function createFileSink(cfg: FileSinkConfig, conn: VaultConnection): Sink {
  return {
    path: cfg.path,
    async write(token) {
      let content = token;
      if (cfg.wrapTtlSeconds !== undefined) {
        const res = await vaultCall(conn, 'PUT', 'sys/wrapping/wrap', {
          token,
          body: { token },
          headers: { 'X-Vault-Wrap-TTL': `${cfg.wrapTtlSeconds}s` },
        });
        const info = res['wrap_info'];
        if (typeof info !== 'object' || info === null) throw new Error('sys/wrapping/wrap returned no wrap_info');
        content = JSON.stringify(info);
      }
      await writeFileAtomic(cfg.path, content, cfg.mode === 0 ? { mode: 0 } : { mode: cfg.mode });
    },
  };
}
