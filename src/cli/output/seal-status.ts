// The seal-status table that `status` and `operator unseal` print, and its JSON form (the seal
// status merged with the HA fields of sys/leader, as vault's status output struct does).

import type { LeaderStatus, SealStatus } from '../../api/index.js';
import { keyValueTable } from './columns.js';

const zeroTime = '0001-01-01T00:00:00Z';

export function sealStatusTable(s: SealStatus, leader: LeaderStatus | undefined): string {
  const rows: [string, string][] = [];
  rows.push(['Seal Type', s.type]);
  const recoveryType = s.raw['recovery_seal_type'];
  if (s.recovery_seal && typeof recoveryType === 'string') rows.push(['Recovery Seal Type', recoveryType]);
  rows.push(['Initialized', String(s.initialized)]);
  rows.push(['Sealed', String(s.sealed)]);
  rows.push([s.recovery_seal ? 'Total Recovery Shares' : 'Total Shares', String(s.n)]);
  rows.push(['Threshold', String(s.t)]);
  if (s.sealed) {
    rows.push(['Unseal Progress', `${s.progress}/${s.t}`]);
    rows.push(['Unseal Nonce', s.nonce]);
  }
  if (s.migration) rows.push(['Seal Migration in Progress', 'true']);
  rows.push(['Version', s.version]);
  rows.push(['Build Date', s.build_date]);
  rows.push(['Storage Type', s.storage_type]);
  if (s.cluster_name !== '' && s.cluster_id !== '') {
    rows.push(['Cluster Name', s.cluster_name]);
    rows.push(['Cluster ID', s.cluster_id]);
  }
  if (leader !== undefined) {
    rows.push(['HA Enabled', String(leader.ha_enabled)]);
    if (leader.ha_enabled) {
      rows.push(['HA Cluster', leader.leader_cluster_address]);
      const mode = leader.is_self ? 'active' : leader.performance_standby ? 'perf-standby' : 'standby';
      rows.push(['HA Mode', mode]);
      if (leader.is_self && leader.active_time !== '' && leader.active_time !== zeroTime) {
        rows.push(['Active Since', leader.active_time]);
      }
    }
  }
  return keyValueTable(rows);
}

/** Seal status fields as the server sent them, plus the HA fields when sys/leader answered. */
export function sealStatusJson(s: SealStatus, leader: LeaderStatus | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s.raw };
  if (leader !== undefined) {
    out['ha_enabled'] = leader.ha_enabled;
    if (leader.ha_enabled) {
      out['is_self'] = leader.is_self;
      out['leader_address'] = leader.leader_address;
      out['leader_cluster_address'] = leader.leader_cluster_address;
      out['performance_standby'] = leader.performance_standby;
    }
    out['active_time'] = leader.active_time;
  }
  return out;
}
