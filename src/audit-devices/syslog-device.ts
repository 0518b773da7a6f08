// The `syslog` audit device: one syslog message (facility, severity info, tag) per entry, to the
// local daemon when /dev/log is a stream socket, or — a Coffer extension, because Node.js cannot
// write to unix datagram sockets — over UDP to the `address` option.

import { hostname as osHostname } from 'node:os';
import type { AuditDeviceConfig } from '../sdk/index.js';
import type { Clock } from '../shared/index.js';
import { invalidRequest, systemClock } from '../shared/index.js';
import type { BatchedDevice } from './batched-device.js';
import { createBatchedDevice } from './batched-device.js';
import { createDatagramConnection } from './datagram-connection.js';
import { optionValue, parseHostPort } from './device-options.js';
import { createStreamConnection } from './stream-connection.js';
import { checkSyslogTag, formatRfc3164, formatRfc5424, syslogPriority } from './syslog-format.js';

export interface SyslogDeviceDeps {
  /** The local daemon's socket (default /dev/log). */
  devLogPath?: string;
  clock?: Clock;
  hostname?: string;
  pid?: number;
  /** Write-queue bound in characters (default 64 MiB); a write beyond it rejects. */
  maxQueuedChars?: number;
}

export interface SyslogAuditDevice extends BatchedDevice {
  /** Where messages go: "unix:/dev/log" or "udp:host:port". */
  destination(): string;
}

const CONNECT_TIMEOUT_MS = 2000;

interface Transport {
  destination: string;
  send(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

async function openTransport(config: AuditDeviceConfig, deps: SyslogDeviceDeps): Promise<Transport> {
  const pri = syslogPriority(optionValue(config.options, 'facility') ?? 'AUTH');
  const tag = checkSyslogTag(optionValue(config.options, 'tag') ?? 'vault');
  const clock = deps.clock ?? systemClock;
  const pid = deps.pid ?? process.pid;
  const log = config.logger.child({ audit: config.path });

  // An explicit address is the operator's choice and wins over the local daemon.
  const address = optionValue(config.options, 'address');
  if (address !== undefined) {
    const target = parseHostPort(address, 'address');
    const host = deps.hostname ?? osHostname();
    const conn = createDatagramConnection({ target, timeoutMs: CONNECT_TIMEOUT_MS });
    return {
      destination: `udp:${address}`,
      send: (lines) => {
        const at = new Date(clock.now());
        return conn.send(lines.map((l) => formatRfc5424(pri, at, host, tag, pid, l)));
      },
      close: () => conn.close(),
    };
  }

  const path = deps.devLogPath ?? '/dev/log';
  const conn = createStreamConnection({ target: { kind: 'unix', path }, timeoutMs: CONNECT_TIMEOUT_MS, logger: log });
  try {
    await conn.connect();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw invalidRequest(
      `syslog is not reachable: ${path} is not a stream socket we can connect to (${reason}); ` +
        'Node.js cannot write to datagram syslog sockets, so set the "address" option to a UDP syslog listener (host:port)',
    );
  }
  return {
    destination: `unix:${path}`,
    send: (lines) => {
      const at = new Date(clock.now());
      return conn.send(lines.map((l) => formatRfc3164(pri, at, tag, pid, l) + '\n').join(''));
    },
    close: () => conn.close(),
  };
}

/**
 * Creates a syslog device from `facility` (default "AUTH"), `tag` (default "vault") and the Coffer
 * extension `address` (host:port of a UDP syslog listener). Without `address` it needs /dev/log to
 * be a stream socket; otherwise it throws invalid_request saying syslog is not reachable.
 */
export async function createSyslogAuditDevice(config: AuditDeviceConfig, deps: SyslogDeviceDeps = {}): Promise<SyslogAuditDevice> {
  const transport = await openTransport(config, deps);
  const device = createBatchedDevice({
    path: config.path,
    sink: (lines) => transport.send(lines),
    failure: 'syslog write failed',
    close: () => transport.close(),
    ...(deps.maxQueuedChars !== undefined ? { maxQueuedChars: deps.maxQueuedChars } : {}),
  });
  return { ...device, destination: () => transport.destination };
}
