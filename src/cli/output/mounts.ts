// Tables of `secrets list` and `auth list`, short and -detailed.

import type { MountInfo } from '../../api/index.js';
import { table } from './columns.js';
import { goValue } from './go-value.js';
import { humanDuration } from './human-duration.js';

function ttl(seconds: number): string {
  return seconds === 0 ? 'system' : humanDuration(seconds);
}

/** `kind` picks the columns: auth lists show a Version column like vault's. */
export function mountsTable(mounts: Record<string, MountInfo>, kind: 'secrets' | 'auth', detailed: boolean): string {
  const paths = Object.keys(mounts).sort();
  if (!detailed) {
    const header = kind === 'auth' ? ['Path', 'Type', 'Accessor', 'Description', 'Version'] : ['Path', 'Type', 'Accessor', 'Description'];
    return table(
      header,
      paths.map((p) => {
        const m = mounts[p]!;
        const row = [p, m.type, m.accessor, m.description];
        return kind === 'auth' ? [...row, m.plugin_version] : row;
      }),
    );
  }
  const header =
    kind === 'auth'
      ? ['Path', 'Plugin', 'Accessor', 'Default TTL', 'Max TTL', 'Token Type', 'Replication', 'Seal Wrap', 'External Entropy Access', 'Options', 'Description', 'UUID', 'Version', 'Running Version', 'Running SHA256', 'Deprecation Status']
      : ['Path', 'Plugin', 'Accessor', 'Default TTL', 'Max TTL', 'Force No Cache', 'Replication', 'Seal Wrap', 'External Entropy Access', 'Options', 'Description', 'UUID', 'Version', 'Running Version', 'Running SHA256', 'Deprecation Status'];
  return table(
    header,
    paths.map((p) => {
      const m = mounts[p]!;
      return [
        p,
        m.type,
        m.accessor,
        ttl(m.config.default_lease_ttl),
        ttl(m.config.max_lease_ttl),
        kind === 'auth' ? (m.config.token_type ?? '') : String(m.config.force_no_cache),
        m.local ? 'local' : 'replicated',
        String(m.seal_wrap),
        String(m.external_entropy_access),
        m.options === null ? '' : goValue(m.options),
        m.description,
        m.uuid,
        m.plugin_version,
        m.running_plugin_version,
        m.running_sha256,
        m.deprecation_status,
      ];
    }),
  );
}
