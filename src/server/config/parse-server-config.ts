// Parses one Vault server config file (HCL or JSON) into a fragment that remembers which
// settings the file actually set, so several files can be merged the way Vault merges them.

import { hclToPlain, parseHcl, type HclAttribute, type HclBody } from '../../shared/hcl/index.js';
import { assignOwn } from './assign-own.js';
import { collectStanzas, type Stanza } from './stanzas.js';
import { parseStorage } from './parse-storage.js';
import { parseListener } from './parse-listener.js';
import { configError, lastAttribute, readBool, readDuration, readString, type FieldContext } from './field-readers.js';
import { mergeConfigFragments } from './merge-server-config.js';
import type { ListenerConfig, SealConfig, ServerConfig, StorageConfig } from './types.js';

/** Top-level scalar settings a file set; absent means "not mentioned in this file". */
export type ConfigSettings = Partial<
  Pick<
    ServerConfig,
    | 'apiAddr'
    | 'clusterAddr'
    | 'defaultLeaseTtl'
    | 'maxLeaseTtl'
    | 'ui'
    | 'disableMlock'
    | 'logLevel'
    | 'logFormat'
    | 'clusterName'
    | 'pluginDirectory'
    | 'rawStorageEndpoint'
  >
>;

export interface ConfigFragment {
  file: string;
  settings: ConfigSettings;
  storage?: StorageConfig;
  haStorage?: StorageConfig;
  listeners: ListenerConfig[];
  seals: SealConfig[];
  /** Only the keys this file set. */
  telemetry: Record<string, unknown>;
  warnings: string[];
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'warning', 'error'];

type SettingReader = (ctx: FieldContext, attr: HclAttribute, s: ConfigSettings) => void;

const SETTINGS: Readonly<Record<string, SettingReader>> = {
  api_addr: (c, a, s) => (s.apiAddr = readString(c, a)),
  cluster_addr: (c, a, s) => (s.clusterAddr = readString(c, a)),
  default_lease_ttl: (c, a, s) => (s.defaultLeaseTtl = readDuration(c, a)),
  max_lease_ttl: (c, a, s) => (s.maxLeaseTtl = readDuration(c, a)),
  ui: (c, a, s) => (s.ui = readBool(c, a)),
  disable_mlock: (c, a, s) => (s.disableMlock = readBool(c, a)),
  cluster_name: (c, a, s) => (s.clusterName = readString(c, a)),
  plugin_directory: (c, a, s) => (s.pluginDirectory = readString(c, a)),
  raw_storage_endpoint: (c, a, s) => (s.rawStorageEndpoint = readBool(c, a)),
  log_level: (c, a, s) => {
    const level = readString(c, a).trim().toLowerCase();
    if (!LOG_LEVELS.includes(level)) {
      throw configError(c.file, a.value.pos.line, `log_level must be one of trace, debug, info, warn, error, not ${JSON.stringify(readString(c, a))}`);
    }
    s.logLevel = level === 'warning' ? 'warn' : level;
  },
  log_format: (c, a, s) => {
    const format = readString(c, a).trim().toLowerCase();
    if (format !== 'standard' && format !== 'json') {
      throw configError(c.file, a.value.pos.line, `log_format must be "standard" or "json", not ${JSON.stringify(readString(c, a))}`);
    }
    s.logFormat = format;
  },
};

const STANZAS = new Set(['storage', 'backend', 'ha_storage', 'ha_backend', 'listener', 'seal', 'telemetry']);

/**
 * Parses one config text (HCL, or JSON by `.json` extension or a leading `{`).
 * Throws CofferError invalid_request whose message names the file, line and field.
 */
export function parseServerConfig(text: string, fileName: string): ServerConfig {
  return mergeConfigFragments([parseConfigFragment(text, fileName)]);
}

/**
 * Parses one file. JSON is chosen by a `.json` extension or a leading `{`; both go through
 * the same position-keeping parser, so JSON errors carry lines too.
 * Throws CofferError invalid_request with `file:line: field: problem` (syntax errors: `file:line:col: ...`).
 */
export function parseConfigFragment(text: string, fileName: string): ConfigFragment {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (fileName.toLowerCase().endsWith('.json') && !trimmed.startsWith('{')) {
    const skipped = text.length - trimmed.length;
    const line = text.slice(0, skipped).split('\n').length;
    throw configError(fileName, line, "expected a JSON object starting with '{'");
  }
  const body = parseHcl(text, fileName);
  return fragmentFromBody(body, fileName);
}

function fragmentFromBody(body: HclBody, file: string): ConfigFragment {
  const warnings: string[] = [];
  const settings: ConfigSettings = {};
  const ctx: FieldContext = { file, prefix: '' };

  for (const key of new Set([...body.attributes.map((a) => a.key), ...body.blocks.map((b) => b.type)])) {
    if (STANZAS.has(key)) continue;
    const reader = SETTINGS[key];
    if (reader === undefined) {
      const at = body.attributes.find((a) => a.key === key)?.pos ?? body.blocks.find((b) => b.type === key)?.pos;
      warnings.push(`${file}:${at?.line ?? 1}: unknown or unsupported setting ${JSON.stringify(key)} ignored`);
      continue;
    }
    const block = body.blocks.find((b) => b.type === key);
    if (block) throw configError(file, block.pos.line, `${key} must be a value (${key} = ...), not a block`);
    const attr = lastAttribute(body.attributes, key);
    if (attr) reader(ctx, attr, settings);
  }

  const storage = singleStorage(body, ['storage', 'backend'], file, warnings);
  const haStorage = singleStorage(body, ['ha_storage', 'ha_backend'], file, warnings);
  const listeners = collectStanzas(body, 'listener', true, file).map((s) => parseListener(s, file, warnings));
  const seals = collectStanzas(body, 'seal', true, file).map(
    (s): SealConfig => ({ type: s.label, options: hclToPlain(s.body), file, line: s.line }),
  );
  const telemetry: Record<string, unknown> = {};
  for (const s of collectStanzas(body, 'telemetry', false, file)) assignOwn(telemetry, hclToPlain(s.body));

  // Stanzas are read kind by kind; report in file order instead.
  const lineOf = (w: string): number => Number(/^:(\d+):/.exec(w.slice(file.length))?.[1] ?? 0);
  warnings.sort((a, b) => lineOf(a) - lineOf(b));
  return {
    file,
    settings,
    ...(storage ? { storage } : {}),
    ...(haStorage ? { haStorage } : {}),
    listeners,
    seals,
    telemetry,
    warnings,
  };
}

// A file may hold at most one storage stanza (counting the old name `backend` too).
function singleStorage(body: HclBody, keywords: readonly [string, string], file: string, warnings: string[]): StorageConfig | undefined {
  const found: { keyword: string; stanza: Stanza }[] = [];
  for (const keyword of keywords) {
    for (const stanza of collectStanzas(body, keyword, true, file)) found.push({ keyword, stanza });
  }
  found.sort((a, b) => a.stanza.line - b.stanza.line);
  const [first, second] = found;
  if (!first) return undefined;
  if (second) {
    throw configError(
      file,
      second.stanza.line,
      `${second.keyword} ${JSON.stringify(second.stanza.label)}: only one ${keywords[0]} stanza is allowed per file (another is at line ${first.stanza.line})`,
    );
  }
  return parseStorage(first.stanza, first.keyword, file, warnings);
}
