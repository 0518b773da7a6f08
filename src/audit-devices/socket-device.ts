// The `socket` audit device: newline-framed entries to a TCP or unix stream socket (or one UDP
// datagram per entry), batching concurrent requests into one write, reconnecting on demand.

import type { AuditDeviceConfig } from '../sdk/index.js';
import { invalidRequest } from '../shared/index.js';
import type { BatchedDevice } from './batched-device.js';
import { createBatchedDevice } from './batched-device.js';
import { createDatagramConnection } from './datagram-connection.js';
import { optionValue, parseHostPort, parseTimeoutMs } from './device-options.js';
import { createStreamConnection } from './stream-connection.js';

export type SocketAuditDevice = BatchedDevice;

export interface SocketDeviceDeps {
  /** Write-queue bound in characters (default 64 MiB); a write beyond it rejects. */
  maxQueuedChars?: number;
}

interface Transport {
  send(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

function createTransport(config: AuditDeviceConfig): Transport {
  const { options, logger } = config;
  const address = optionValue(options, 'address');
  if (address === undefined) throw invalidRequest('address is required (host:port, or a socket path for socket_type=unix)');
  const type = (optionValue(options, 'socket_type') ?? 'tcp').toLowerCase();
  const timeoutMs = parseTimeoutMs(optionValue(options, 'write_timeout') ?? '2s', 'write_timeout');
  const log = logger.child({ audit: config.path });
  switch (type) {
    case 'tcp':
    case 'tcp4':
    case 'tcp6': {
      const conn = createStreamConnection({ target: { kind: 'tcp', ...parseHostPort(address, 'address') }, timeoutMs, logger: log });
      return { send: (lines) => conn.send(lines.join('\n') + '\n'), close: () => conn.close() };
    }
    case 'unix': {
      const conn = createStreamConnection({ target: { kind: 'unix', path: address }, timeoutMs, logger: log });
      return { send: (lines) => conn.send(lines.join('\n') + '\n'), close: () => conn.close() };
    }
    case 'udp':
    case 'udp4':
    case 'udp6': {
      const conn = createDatagramConnection({ target: parseHostPort(address, 'address'), timeoutMs });
      return { send: (lines) => conn.send(lines.map((l) => l + '\n')), close: () => conn.close() };
    }
    default:
      throw invalidRequest(`unsupported socket_type "${type}": expected tcp, udp or unix`);
  }
}

/**
 * Creates a socket device from `address` (required), `socket_type` (tcp default, udp, unix) and
 * `write_timeout` (default "2s"). It connects on the first write, so a peer that is down at enable
 * time does not prevent enabling; a write the peer cannot take (down, closed, not reading within
 * the timeout, even after one reconnect) rejects, so the broker fails closed.
 */
export async function createSocketAuditDevice(config: AuditDeviceConfig, deps: SocketDeviceDeps = {}): Promise<SocketAuditDevice> {
  const transport = createTransport(config);
  return Promise.resolve(
    createBatchedDevice({
      path: config.path,
      sink: (lines) => transport.send(lines),
      failure: 'write failed',
      close: () => transport.close(),
      ...(deps.maxQueuedChars !== undefined ? { maxQueuedChars: deps.maxQueuedChars } : {}),
    }),
  );
}
