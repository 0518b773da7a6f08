// The audit broker: the table of enabled audit devices (kept in the barrier with each device's
// HMAC salt), and the fail-closed logging of every request and response to all of them. While
// any device is enabled, a request whose entry no device could record fails with a 500.

import { randomBytes } from 'node:crypto';
import type { AuditDevice, AuditDeviceFactory, Storage } from '../../sdk/index.js';
import { getJson, putJson } from '../../sdk/index.js';
import type { Clock, Logger } from '../../shared/index.js';
import { CofferError, createKeyedMutex, parseGoBool } from '../../shared/index.js';
import type { AuditRequest, AuditResponse, DeviceFormat } from './audit-entry.js';
import { formatEntryHead, formatRequestEntry, formatResponseEntry } from './audit-entry.js';
import type { Hash } from './audit-hash.js';
import { createAuditHash, noHash } from './audit-hash.js';

/** What `sys/audit` shows of a device. */
export interface AuditTableEntry {
  path: string;
  type: string;
  description: string;
  options: Record<string, string>;
  local: boolean;
}

interface StoredEntry extends AuditTableEntry {
  /** hex HMAC key of this device */
  salt: string;
}

interface LiveDevice {
  entry: StoredEntry;
  device: AuditDevice;
  format: DeviceFormat;
  /** Always the salted hash (audit-hash answers with it even for log_raw devices). */
  hash: Hash;
}

export interface AuditBroker {
  /** True while at least one device is enabled (the request path skips auditing otherwise). */
  active(): boolean;
  /** Opens the devices of the stored table (after unseal). A device that fails to open is logged and skipped. */
  load(): Promise<void>;
  /** Closes every device (before seal). */
  unload(): Promise<void>;
  list(): AuditTableEntry[];
  enable(path: string, input: { type: string; description: string; options: Record<string, string>; local: boolean }): Promise<void>;
  disable(path: string): Promise<void>;
  /** sys/audit-hash: the HMAC of `input` under the device's salt. */
  hash(path: string, input: string): string;
  /** Records a request entry; throws CofferError('internal') when devices exist and none recorded it. */
  logRequest(req: AuditRequest, error?: string): Promise<void>;
  logResponse(req: AuditRequest, res: AuditResponse | undefined, error?: string): Promise<void>;
  /** SIGHUP: reopen files. */
  reload(): Promise<void>;
}

const TABLE_KEY = 'core/audit';

function normalisePath(p: string): string {
  const s = p.replace(/^\/+|\/+$/g, '');
  if (s === '' || s.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
    throw new CofferError('invalid_request', `invalid audit path ${JSON.stringify(p)}`);
  }
  return s + '/';
}

function parseTable(raw: unknown): StoredEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: StoredEntry[] = [];
  for (const e of raw as unknown[]) {
    if (e === null || typeof e !== 'object') continue;
    const o = e as Record<string, unknown>;
    if (typeof o['path'] !== 'string' || typeof o['type'] !== 'string' || typeof o['salt'] !== 'string') continue;
    const options: Record<string, string> = {};
    if (o['options'] && typeof o['options'] === 'object') {
      for (const [k, v] of Object.entries(o['options'] as Record<string, unknown>)) if (typeof v === 'string') options[k] = v;
    }
    out.push({ path: o['path'], type: o['type'], description: typeof o['description'] === 'string' ? o['description'] : '', options, local: o['local'] === true, salt: o['salt'] });
  }
  return out;
}

function formatFor(entry: StoredEntry, hash: Hash): DeviceFormat {
  const flag = (name: string, dflt: boolean): boolean => {
    const v = entry.options[name];
    return v === undefined || v === '' ? dflt : (parseGoBool(v) ?? dflt);
  };
  const format = entry.options['format'] ?? 'json';
  if (format !== 'json' && format !== 'jsonx') throw new CofferError('invalid_request', `unknown format type ${JSON.stringify(format)}`);
  if (format === 'jsonx') throw new CofferError('invalid_request', 'format "jsonx" is not supported; use "json"');
  return { hash: flag('log_raw', false) ? noHash : hash, hashAccessor: flag('hmac_accessor', true), prefix: entry.options['prefix'] ?? '' };
}

export function createAuditBroker(deps: {
  barrier: Storage;
  factories: Readonly<Record<string, AuditDeviceFactory>>;
  clock: Clock;
  logger: Logger;
  /** Told how long each entry took to record, and whether any device recorded it. */
  observe?: (seconds: number, ok: boolean) => void;
}): AuditBroker {
  const { clock, logger } = deps;
  let devices: LiveDevice[] = [];
  const lock = createKeyedMutex();

  const open = async (entry: StoredEntry): Promise<LiveDevice> => {
    const factory = deps.factories[entry.type];
    if (!factory) throw new CofferError('invalid_request', `unknown audit backend type: ${JSON.stringify(entry.type)}`);
    const hash = createAuditHash(Buffer.from(entry.salt, 'hex'));
    const format = formatFor(entry, hash);
    const device = await factory({ path: entry.path, options: entry.options, logger: logger.child({ audit: entry.path }) });
    return { entry, device, format, hash };
  };
  const persist = (): Promise<void> => putJson(deps.barrier, TABLE_KEY, devices.map((d) => d.entry));

  /** Each request's formatted entry head per device format, shared by its request and response entries. */
  const heads = new WeakMap<AuditRequest, Map<DeviceFormat, string>>();
  const headFor = (req: AuditRequest, f: DeviceFormat): string => {
    let perDevice = heads.get(req);
    if (perDevice === undefined) {
      perDevice = new Map();
      heads.set(req, perDevice);
    }
    let head = perDevice.get(f);
    if (head === undefined) {
      head = formatEntryHead(req, f);
      perDevice.set(f, head);
    }
    return head;
  };

  /** Fail closed: no device recorded the entry, so the request must not go on. */
  const noDeviceRecorded = (context: Record<string, unknown>): CofferError => {
    logger.error(context, 'no audit device could record the entry; failing the request');
    return new CofferError('internal', 'internal error: no audit device could record the request');
  };

  /** Writes one line per device; resolves when at least one recorded it (or none is enabled). */
  const record = async (line: (f: DeviceFormat) => string): Promise<void> => {
    const current = devices;
    if (current.length === 0) return;
    const started = performance.now();
    const observe = (ok: boolean): void => deps.observe?.((performance.now() - started) / 1000, ok);
    const only = current.length === 1 ? current[0] : undefined;
    if (only !== undefined) {
      // One device (the usual case): no per-entry arrays or settled-result objects.
      try {
        await only.device.write([line(only.format)]);
      } catch (e) {
        observe(false);
        throw noDeviceRecorded({ audit: only.entry.path, error: e instanceof Error ? e.message : String(e) });
      }
      observe(true);
      return;
    }
    const results = await Promise.allSettled(current.map((d) => d.device.write([line(d.format)])));
    const ok = results.some((r) => r.status === 'fulfilled');
    observe(ok);
    if (!ok) throw noDeviceRecorded({ devices: current.length });
    results.forEach((r, i) => {
      if (r.status === 'rejected') logger.warn({ audit: current[i]?.entry.path, error: r.reason instanceof Error ? r.reason.message : String(r.reason) }, 'audit device failed to record an entry');
    });
  };

  return {
    active: () => devices.length > 0,

    async load() {
      const table = parseTable(await getJson(deps.barrier, TABLE_KEY));
      const opened: LiveDevice[] = [];
      for (const entry of table) {
        try {
          opened.push(await open(entry));
        } catch (e) {
          // Fail closed for this device: keep it listed (in storage) but it records nothing; if it
          // was the only one, every request fails until it is fixed or disabled.
          logger.error({ audit: entry.path, error: e instanceof Error ? e.message : String(e) }, 'failed to open audit device');
          opened.push({ entry, device: brokenDevice(e), format: formatFor(entry, noHash), hash: createAuditHash(Buffer.from(entry.salt, 'hex')) });
        }
      }
      devices = opened;
    },

    async unload() {
      const current = devices;
      devices = [];
      for (const d of current) await d.device.close().catch(() => undefined);
    },

    list: () => devices.map(({ entry }) => ({ path: entry.path, type: entry.type, description: entry.description, options: { ...entry.options }, local: entry.local })),

    enable(rawPath, input) {
      return lock.run('table', async () => {
        const path = normalisePath(rawPath);
        if (input.type === '') throw new CofferError('invalid_request', 'type is required');
        if (devices.some((d) => d.entry.path === path)) throw new CofferError('invalid_request', `path already in use at ${path}`);
        const entry: StoredEntry = { path, type: input.type, description: input.description, options: { ...input.options }, local: input.local, salt: randomBytes(32).toString('hex') };
        const live = await open(entry);
        devices = [...devices, live];
        try {
          await persist();
        } catch (e) {
          devices = devices.filter((d) => d !== live);
          await live.device.close().catch(() => undefined);
          throw e;
        }
      });
    },

    disable(rawPath) {
      return lock.run('table', async () => {
        const path = normalisePath(rawPath);
        const live = devices.find((d) => d.entry.path === path);
        if (!live) return;
        devices = devices.filter((d) => d !== live);
        await persist();
        await live.device.close().catch(() => undefined);
      });
    },

    hash(rawPath, input) {
      const path = normalisePath(rawPath);
      const live = devices.find((d) => d.entry.path === path);
      if (!live) throw new CofferError('invalid_request', `unknown audit backend ${JSON.stringify(path)}`);
      if (input === '') throw new CofferError('invalid_request', 'the "input" parameter is empty');
      return live.hash(input);
    },

    logRequest(req, error = '') {
      if (devices.length === 0) return Promise.resolve();
      const now = clock.now();
      return record((f) => formatRequestEntry(now, headFor(req, f), error, f));
    },

    logResponse(req, res, error = '') {
      if (devices.length === 0) return Promise.resolve();
      const now = clock.now();
      return record((f) => formatResponseEntry(now, headFor(req, f), req, res, error, f));
    },

    async reload() {
      for (const d of devices) {
        await d.device.reload().catch((e: unknown) => logger.error({ audit: d.entry.path, error: e instanceof Error ? e.message : String(e) }, 'failed to reload audit device'));
      }
    },
  };
}

/** Stands in for a stored device that could not be opened: it records nothing. */
function brokenDevice(cause: unknown): AuditDevice {
  const why = cause instanceof Error ? cause.message : String(cause);
  return {
    write: () => Promise.reject(new Error(`audit device unavailable: ${why}`)),
    reload: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
