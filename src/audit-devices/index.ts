// audit-devices/: the built-in audit devices (file, socket, syslog). This file is the layer's one
// public door; server/ registers BUILTIN_AUDIT_DEVICES by type name.

import type { AuditDeviceFactory } from '../sdk/index.js';
import { createFileAuditDevice } from './file-device.js';
import { createSocketAuditDevice } from './socket-device.js';
import { createSyslogAuditDevice } from './syslog-device.js';

export type { BatchStats } from './line-batcher.js';
export type { FileAuditDevice, FileDeviceDeps, FileOps, StdoutTarget } from './file-device.js';
export type { SocketAuditDevice, SocketDeviceDeps } from './socket-device.js';
export type { SyslogAuditDevice, SyslogDeviceDeps } from './syslog-device.js';
export { createFileAuditDevice, createSocketAuditDevice, createSyslogAuditDevice };

export const fileAuditDevice: AuditDeviceFactory = (config) => createFileAuditDevice(config);
export const socketAuditDevice: AuditDeviceFactory = (config) => createSocketAuditDevice(config);
export const syslogAuditDevice: AuditDeviceFactory = (config) => createSyslogAuditDevice(config);

export const BUILTIN_AUDIT_DEVICES: Readonly<Record<string, AuditDeviceFactory>> = {
  file: fileAuditDevice,
  socket: socketAuditDevice,
  syslog: syslogAuditDevice,
};
