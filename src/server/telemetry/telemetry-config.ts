// The server config's `telemetry` stanza, as far as Coffer uses it.

import { CofferError, parseDurationSeconds, parseGoBool } from '../../shared/index.js';
import type { TelemetryConfig } from './prometheus-telemetry.js';

/** prometheus_retention_time (duration; default 0 = Prometheus format off, as in Vault) and disable_hostname. */
export function telemetryConfig(stanza: Readonly<Record<string, unknown>>): TelemetryConfig {
  const retention = stanza['prometheus_retention_time'];
  let seconds = 0;
  if (typeof retention === 'number') seconds = retention;
  else if (typeof retention === 'string' && retention !== '') {
    try {
      seconds = parseDurationSeconds(retention);
    } catch {
      throw new CofferError('invalid_request', `telemetry: invalid prometheus_retention_time ${JSON.stringify(retention)}`);
    }
  }
  const host = stanza['disable_hostname'];
  const disableHostname = typeof host === 'boolean' ? host : typeof host === 'string' ? (parseGoBool(host) ?? false) : false;
  return { prometheusRetentionTime: seconds, disableHostname };
}
