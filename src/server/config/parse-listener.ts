// `listener "tcp" { ... }`: address, TLS files and limits. Only tcp listeners exist in Coffer.

import type { HclAttribute } from '../../shared/hcl/index.js';
import type { Stanza } from './stanzas.js';
import { DEFAULT_LISTENER_ADDRESS, DEFAULT_MAX_REQUEST_SIZE, type ListenerConfig } from './types.js';
import { configError, readBool, readDuration, readInt, readString, type FieldContext } from './field-readers.js';

const TLS_VERSIONS = ['tls10', 'tls11', 'tls12', 'tls13'];

/**
 * Reads one listener stanza. Throws invalid_request (naming file, line and field) for a non-tcp
 * type, a malformed value, or TLS enabled without tls_cert_file / tls_key_file.
 * Unknown keys are warned about and ignored.
 */
export function parseListener(stanza: Stanza, file: string, warnings: string[]): ListenerConfig {
  const where = `listener ${JSON.stringify(stanza.label)}`;
  if (stanza.label !== 'tcp') {
    throw configError(file, stanza.line, `${where}: unsupported listener type ${JSON.stringify(stanza.label)}; only "tcp" is supported`);
  }
  const ctx: FieldContext = { file, prefix: `${where}: ` };
  const out: ListenerConfig = {
    type: 'tcp',
    address: DEFAULT_LISTENER_ADDRESS,
    tlsDisable: false,
    maxRequestSize: DEFAULT_MAX_REQUEST_SIZE,
    unauthenticatedMetricsAccess: false,
    file,
    line: stanza.line,
  };
  for (const attr of stanza.body.attributes) readListenerKey(ctx, attr, out, warnings);
  for (const block of stanza.body.blocks) {
    if (block.type === 'telemetry' && block.labels.length === 0) {
      const inner: FieldContext = { file, prefix: `${where}: telemetry: ` };
      for (const attr of block.body.attributes) {
        if (attr.key === 'unauthenticated_metrics_access') out.unauthenticatedMetricsAccess = readBool(inner, attr);
        else warnings.push(`${file}:${attr.pos.line}: ${where}: telemetry: unknown key ${JSON.stringify(attr.key)} ignored`);
      }
    } else {
      warnings.push(`${file}:${block.pos.line}: ${where}: unknown block ${JSON.stringify(block.type)} ignored`);
    }
  }
  if (!out.tlsDisable) {
    for (const [field, value] of [
      ['tls_cert_file', out.tlsCertFile],
      ['tls_key_file', out.tlsKeyFile],
    ] as const) {
      if (value === undefined || value === '') {
        throw configError(file, stanza.line, `${where}: ${field} is required when TLS is enabled (set tls_disable = true to serve plain HTTP)`);
      }
    }
  }
  return out;
}

function readListenerKey(ctx: FieldContext, attr: HclAttribute, out: ListenerConfig, warnings: string[]): void {
  switch (attr.key) {
    case 'address': {
      const address = readString(ctx, attr);
      if (!isHostPort(address)) throw configError(ctx.file, attr.value.pos.line, `${ctx.prefix}address must be host:port, not ${JSON.stringify(address)}`);
      out.address = address;
      return;
    }
    case 'tls_disable':
      out.tlsDisable = readBool(ctx, attr);
      return;
    case 'tls_cert_file':
      out.tlsCertFile = readString(ctx, attr);
      return;
    case 'tls_key_file':
      out.tlsKeyFile = readString(ctx, attr);
      return;
    case 'tls_min_version': {
      const v = readString(ctx, attr);
      if (!TLS_VERSIONS.includes(v)) {
        throw configError(ctx.file, attr.value.pos.line, `${ctx.prefix}tls_min_version must be one of ${TLS_VERSIONS.join(', ')}, not ${JSON.stringify(v)}`);
      }
      out.tlsMinVersion = v;
      return;
    }
    case 'max_request_size': {
      const n = readInt(ctx, attr);
      out.maxRequestSize = n === 0 ? DEFAULT_MAX_REQUEST_SIZE : n;
      return;
    }
    case 'max_request_duration':
      out.maxRequestDuration = readDuration(ctx, attr);
      return;
    case 'unauthenticated_metrics_access':
      out.unauthenticatedMetricsAccess = readBool(ctx, attr);
      return;
    default:
      warnings.push(`${ctx.file}:${attr.pos.line}: ${ctx.prefix}unknown key ${JSON.stringify(attr.key)} ignored`);
  }
}

function isHostPort(address: string): boolean {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]*):(\d{1,5})$/.exec(address);
  return m !== null && Number(m[2]) <= 65535;
}
