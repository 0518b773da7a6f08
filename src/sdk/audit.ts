// What an audit device is: a sink for formatted audit entries. The core's audit broker builds
// and HMACs every entry (Vault's JSON format, the device's prefix included); a device only
// records lines, in order, and says whether it could.

import type { Logger } from '../shared/index.js';

export interface AuditDevice {
  /**
   * Records `lines` (each one complete entry, without a trailing newline) in order, after every
   * line of earlier calls. Resolves once they are recorded (a file: written to the OS; a socket:
   * written to the connection; syslog: sent); rejects when the device cannot record them, which
   * the core treats as this device failing for that request (fail closed when every device fails).
   */
  write(lines: readonly string[]): Promise<void>;
  /** Reopens what can be reopened (SIGHUP: a rotated log file is created anew). */
  reload(): Promise<void>;
  /** Flushes and releases everything; later writes reject. */
  close(): Promise<void>;
}

export interface AuditDeviceConfig {
  /** The device's path in `sys/audit` (e.g. "file/"). */
  path: string;
  /** The `options` the device was enabled with (strings, as Vault stores them). */
  options: Readonly<Record<string, string>>;
  logger: Logger;
}

/** Creates a device; throws CofferError('invalid_request') for bad options (the enable call gets a 400). */
export type AuditDeviceFactory = (config: AuditDeviceConfig) => Promise<AuditDevice>;
