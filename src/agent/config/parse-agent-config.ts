// Parses a Vault Agent config file (HCL, or the JSON the Kubernetes injector writes) into
// AgentConfig with defaults applied. Errors name the file, line and field.

import { parseDurationSeconds, parseHcl } from '../../shared/index.js';
import {
  attribute,
  configError,
  fail,
  labelledSections,
  readBool,
  readDurationMs,
  readInt,
  readMode,
  readPlainMap,
  readString,
  readStringOrList,
  sections,
  unknownKeys,
} from './section.js';
import type { Section } from './section.js';
import type {
  AgentConfig,
  AuthMethodConfig,
  AuthMethodType,
  AutoAuthConfig,
  EnvTemplateConfig,
  ExecConfig,
  FileSinkConfig,
  ListenerConfig,
  TemplateConfig,
  TemplateEngineConfig,
  UseAutoAuthToken,
  VaultConnectionConfig,
} from './types.js';

const TOP_KEYS = [
  'vault', 'auto_auth', 'template', 'template_config', 'env_template', 'exec', 'api_proxy', 'cache', 'listener',
  'pid_file', 'exit_after_auth', 'log_level', 'log_format', 'log_file', 'disable_idle_connections',
  'disable_keep_alives', 'telemetry',
];
const METHOD_TYPES: readonly AuthMethodType[] = ['approle', 'kubernetes', 'jwt', 'token_file'];
const DEFAULT_RETRIES = 12;

/**
 * Parses one config text. Throws CofferError(invalid_request) `file:line: section: field problem`
 * for syntax errors, wrong types, missing required settings and unsupported method/sink types.
 */
export function parseAgentConfig(text: string, file: string): AgentConfig {
  const top: Section = { file, where: '', body: parseHcl(text, file), line: 1 };
  const warnings: string[] = [];
  unknownKeys(top, TOP_KEYS, warnings);

  const vault = parseVault(one(top, 'vault'), warnings);
  const autoAuthSec = one(top, 'auto_auth');
  const autoAuth = autoAuthSec ? parseAutoAuth(autoAuthSec, warnings) : undefined;
  const templates = sections(top, 'template').map((s) => parseTemplate(s, warnings));
  const templateConfig = parseTemplateConfig(one(top, 'template_config'), warnings);
  const envTemplates = labelledSections(top, 'env_template', 'name').map((s) => parseEnvTemplate(s, warnings));
  const execSec = one(top, 'exec');
  const exec = execSec ? parseExec(execSec, warnings) : undefined;
  if (envTemplates.length > 0 && exec === undefined) {
    throw configError(file, envTemplates[0]?.line ?? 1, 'env_template needs an exec block (the process that receives the variables)');
  }
  if (envTemplates.length > 0 && templates.length > 0) {
    throw configError(file, templates[0]?.line ?? 1, 'template blocks cannot be combined with env_template (process supervisor mode)');
  }
  if (autoAuth?.method.wrapTtl !== undefined && templates.length + envTemplates.length > 0) {
    throw configError(file, autoAuth.method.line, 'auto_auth.method: wrap_ttl cannot be used with templates (the agent only holds a wrapping token)');
  }
  const listeners = labelledSections(top, 'listener').map((s) => parseListener(s, warnings));
  const useAutoAuthToken = parseUseAutoAuthToken(one(top, 'api_proxy'), one(top, 'cache'), warnings);

  const config: AgentConfig = {
    vault,
    templates,
    templateConfig,
    envTemplates,
    useAutoAuthToken,
    listeners,
    pidFile: readString(top, 'pid_file') ?? '',
    exitAfterAuth: readBool(top, 'exit_after_auth') ?? false,
    warnings,
  };
  if (autoAuth) config.autoAuth = autoAuth;
  if (exec) config.exec = exec;
  const level = readString(top, 'log_level');
  if (level !== undefined && level !== '') config.logLevel = level;
  const format = readString(top, 'log_format');
  if (format !== undefined && format !== '') {
    if (format !== 'standard' && format !== 'json') fail(top, attribute(top, 'log_format')?.pos.line ?? 1, 'log_format', `must be "standard" or "json", not ${JSON.stringify(format)}`);
    config.logFormat = format;
  }
  return config;
}

/** At most one section named `name`. */
function one(parent: Section, name: string): Section | undefined {
  const all = sections(parent, name);
  if (all.length > 1) fail(parent, all[1]?.line ?? 1, name, 'may appear only once');
  return all[0];
}

function parseVault(sec: Section | undefined, warnings: string[]): VaultConnectionConfig {
  const out: VaultConnectionConfig = { retry: { numRetries: DEFAULT_RETRIES } };
  if (sec === undefined) return out;
  unknownKeys(sec, ['address', 'ca_cert', 'ca_path', 'client_cert', 'client_key', 'tls_skip_verify', 'tls_server_name', 'namespace', 'retry'], warnings);
  const set = <K extends keyof VaultConnectionConfig>(k: K, v: VaultConnectionConfig[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('address', readString(sec, 'address'));
  set('caCert', readString(sec, 'ca_cert'));
  set('caPath', readString(sec, 'ca_path'));
  set('clientCert', readString(sec, 'client_cert'));
  set('clientKey', readString(sec, 'client_key'));
  set('tlsSkipVerify', readBool(sec, 'tls_skip_verify'));
  set('tlsServerName', readString(sec, 'tls_server_name'));
  set('namespace', readString(sec, 'namespace'));
  const retry = one(sec, 'retry');
  if (retry) {
    const n = readInt(retry, 'num_retries');
    // Vault: 0 means the default, -1 means no retries.
    if (n !== undefined && n !== 0) out.retry.numRetries = n < 0 ? 0 : n;
  }
  return out;
}

function parseAutoAuth(sec: Section, warnings: string[]): AutoAuthConfig {
  unknownKeys(sec, ['method', 'sink', 'enable_reauth_on_new_credentials'], warnings);
  const methods = labelledSections(sec, 'method');
  const first = methods[0];
  if (first === undefined) throw configError(sec.file, sec.line, 'auto_auth: needs a method block');
  if (methods.length > 1) fail(sec, methods[1]?.line ?? sec.line, 'method', 'may appear only once');
  return { method: parseMethod(first, warnings), sinks: labelledSections(sec, 'sink').map((s) => parseSink(s, warnings)) };
}

function parseMethod(sec: Section, warnings: string[]): AuthMethodConfig {
  const type = sec.label ?? '';
  if (!METHOD_TYPES.includes(type as AuthMethodType)) {
    throw configError(sec.file, sec.line, `auto_auth.method: unsupported type ${JSON.stringify(type)} (supported: ${METHOD_TYPES.join(', ')})`);
  }
  unknownKeys(sec, ['type', 'mount_path', 'namespace', 'wrap_ttl', 'min_backoff', 'max_backoff', 'exit_on_err', 'config'], warnings);
  const mount = (readString(sec, 'mount_path') ?? `auth/${type}`).replace(/^\/+|\/+$/g, '');
  const config = readPlainMap(sec, 'config');
  const need = (key: string): void => {
    const v = config[key];
    if (typeof v !== 'string' || v === '') fail(sec, sec.line, `config.${key}`, 'is required');
  };
  if (type === 'approle') need('role_id_file_path');
  if (type === 'kubernetes' || type === 'jwt') need('role');
  if (type === 'jwt') need('path');
  if (type === 'token_file') need('token_file_path');
  const minBackoffMs = readDurationMs(sec, 'min_backoff') ?? 1000;
  const out: AuthMethodConfig = {
    type: type as AuthMethodType,
    mountPath: mount,
    minBackoffMs,
    maxBackoffMs: Math.max(minBackoffMs, readDurationMs(sec, 'max_backoff') ?? 300_000),
    exitOnErr: readBool(sec, 'exit_on_err') ?? false,
    config,
    line: sec.line,
  };
  const ns = readString(sec, 'namespace');
  if (ns !== undefined && ns !== '') out.namespace = ns;
  const wrap = attribute(sec, 'wrap_ttl');
  if (wrap !== undefined) {
    const ms = readDurationMs(sec, 'wrap_ttl');
    if (ms !== undefined && ms > 0) out.wrapTtl = `${Math.round(ms / 1000)}s`;
  }
  return out;
}

function parseSink(sec: Section, warnings: string[]): FileSinkConfig {
  if (sec.label !== 'file') {
    throw configError(sec.file, sec.line, `auto_auth.sink: unsupported type ${JSON.stringify(sec.label ?? '')} (supported: file)`);
  }
  unknownKeys(sec, ['type', 'wrap_ttl', 'config', 'dh_type', 'dh_path', 'derive_key', 'aad', 'aad_env_var'], warnings);
  if (readString(sec, 'dh_type') !== undefined) warnings.push(`${sec.file}:${sec.line}: ${sec.where}: dh_type (encrypted sinks) is not supported; the token is written in the clear`);
  const config = readPlainMap(sec, 'config');
  const path = config['path'];
  if (typeof path !== 'string' || path === '') fail(sec, sec.line, 'config.path', 'is required');
  const cfgSec: Section = { ...sec, where: `${sec.where}.config`, body: configBody(sec) };
  const out: FileSinkConfig = { type: 'file', path, mode: readMode(cfgSec, 'mode') ?? 0o640, line: sec.line };
  const wrapMs = readDurationMs(sec, 'wrap_ttl');
  if (wrapMs !== undefined && wrapMs > 0) out.wrapTtlSeconds = Math.max(1, Math.round(wrapMs / 1000));
  return out;
}

/** The body of the `config` map (block or object attribute), so typed readers keep positions. */
function configBody(sec: Section): Section['body'] {
  for (const b of sec.body.blocks) if (b.type === 'config') return b.body;
  const a = attribute(sec, 'config');
  const v = a?.value.kind === 'list' ? a.value.items[0] : a?.value;
  if (v?.kind === 'object') return v.body;
  return { attributes: [], blocks: [], pos: { line: sec.line, column: 1 } };
}

/**
 * A template's `wait`: a `wait { min = "2s" max = "10s" }` block (or object), or the string form
 * "2s" / "2s:10s". Without max it is 4 × min, as in consul-template. undefined when absent.
 */
function parseWait(sec: Section): { minMs: number; maxMs: number } | undefined {
  const text = attribute(sec, 'wait');
  if (text !== undefined && text.value.kind === 'string') {
    const [minText = '', maxText, extra] = text.value.value.split(':');
    if (extra !== undefined) return fail(sec, text.pos.line, 'wait', 'must be "min" or "min:max"');
    const min = durationMs(sec, text.pos.line, minText);
    const max = maxText === undefined ? min * 4 : durationMs(sec, text.pos.line, maxText);
    return checkedWait(sec, text.pos.line, min, max, 'wait');
  }
  const block = sections(sec, 'wait')[0];
  if (block === undefined) return undefined;
  const min = readDurationMs(block, 'min') ?? 0;
  const max = readDurationMs(block, 'max') ?? min * 4;
  return checkedWait(block, block.line, min, max, 'max');
}

function durationMs(sec: Section, line: number, text: string): number {
  try {
    return parseDurationSeconds(text.trim(), 'wait') * 1000;
  } catch {
    return fail(sec, line, 'wait', `must be a duration such as "5s", not ${JSON.stringify(text)}`);
  }
}

function checkedWait(sec: Section, line: number, minMs: number, maxMs: number, field: string): { minMs: number; maxMs: number } | undefined {
  if (minMs === 0 && maxMs === 0) return undefined;
  if (maxMs < minMs) return fail(sec, line, field, field === 'max' ? 'must not be less than min' : 'max must not be less than min');
  return { minMs, maxMs };
}

function parseTemplate(sec: Section, warnings: string[]): TemplateConfig {
  unknownKeys(sec, [
    'source', 'contents', 'destination', 'create_dest_dirs', 'perms', 'command', 'command_timeout', 'exec',
    'error_on_missing_key', 'left_delimiter', 'right_delimiter', 'backup', 'wait', 'sandbox_path', 'user', 'group',
  ], warnings);
  const source = nonEmpty(readString(sec, 'source'));
  const contents = nonEmpty(readString(sec, 'contents'));
  if (source !== undefined && contents !== undefined) fail(sec, sec.line, 'source', 'and contents are mutually exclusive');
  if (source === undefined && contents === undefined) fail(sec, sec.line, 'source', 'or contents is required');
  const destination = nonEmpty(readString(sec, 'destination'));
  if (destination === undefined) return fail(sec, sec.line, 'destination', 'is required');
  const out: TemplateConfig = {
    destination,
    createDestDirs: readBool(sec, 'create_dest_dirs') ?? true,
    backup: readBool(sec, 'backup') ?? false,
    commandTimeoutMs: readDurationMs(sec, 'command_timeout') ?? 30_000,
    errorOnMissingKey: readBool(sec, 'error_on_missing_key') ?? false,
    leftDelimiter: nonEmpty(readString(sec, 'left_delimiter')) ?? '{{',
    rightDelimiter: nonEmpty(readString(sec, 'right_delimiter')) ?? '}}',
    file: sec.file,
    line: sec.line,
  };
  const wait = parseWait(sec);
  if (wait !== undefined) out.wait = wait;
  const user = nonEmpty(readString(sec, 'user'));
  if (user !== undefined) out.user = user;
  const group = nonEmpty(readString(sec, 'group'));
  if (group !== undefined) out.group = group;
  const sandboxPath = nonEmpty(readString(sec, 'sandbox_path'));
  if (sandboxPath !== undefined) out.sandboxPath = sandboxPath;
  if (source !== undefined) out.source = source;
  if (contents !== undefined) out.contents = contents;
  const perms = readMode(sec, 'perms');
  if (perms !== undefined) out.perms = perms;
  const command = readStringOrList(sec, 'command');
  if (command !== undefined && command !== '' && !(Array.isArray(command) && command.length === 0)) out.command = command;
  const execSec = sections(sec, 'exec')[0];
  if (execSec) {
    const c = readStringOrList(execSec, 'command');
    if (c !== undefined && c.length > 0) out.command = c;
    const t = readDurationMs(execSec, 'timeout');
    if (t !== undefined) out.commandTimeoutMs = t;
  }
  return out;
}

function parseTemplateConfig(sec: Section | undefined, warnings: string[]): TemplateEngineConfig {
  const out: TemplateEngineConfig = { exitOnRetryFailure: false, staticSecretRenderIntervalMs: 300_000, leaseRenewalThreshold: 0.9 };
  if (sec === undefined) return out;
  unknownKeys(sec, ['exit_on_retry_failure', 'static_secret_render_interval', 'max_connections_per_host', 'lease_renewal_threshold'], warnings);
  out.exitOnRetryFailure = readBool(sec, 'exit_on_retry_failure') ?? false;
  const interval = readDurationMs(sec, 'static_secret_render_interval');
  if (interval !== undefined && interval > 0) out.staticSecretRenderIntervalMs = interval;
  const t = attribute(sec, 'lease_renewal_threshold');
  if (t !== undefined) {
    const v = t.value.kind === 'number' ? t.value.value : t.value.kind === 'string' ? Number(t.value.value) : NaN;
    if (!(v > 0 && v <= 1)) fail(sec, t.pos.line, 'lease_renewal_threshold', 'must be a number in (0, 1]');
    out.leaseRenewalThreshold = v;
  }
  return out;
}

function parseEnvTemplate(sec: Section, warnings: string[]): EnvTemplateConfig {
  unknownKeys(sec, ['name', 'source', 'contents', 'error_on_missing_key', 'left_delimiter', 'right_delimiter'], warnings);
  const name = sec.label ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(sec, sec.line, 'name', `must be an environment variable name, not ${JSON.stringify(name)}`);
  const source = nonEmpty(readString(sec, 'source'));
  const contents = nonEmpty(readString(sec, 'contents'));
  if ((source === undefined) === (contents === undefined)) fail(sec, sec.line, 'contents', 'or source (exactly one) is required');
  const out: EnvTemplateConfig = {
    name,
    errorOnMissingKey: readBool(sec, 'error_on_missing_key') ?? false,
    leftDelimiter: nonEmpty(readString(sec, 'left_delimiter')) ?? '{{',
    rightDelimiter: nonEmpty(readString(sec, 'right_delimiter')) ?? '}}',
    file: sec.file,
    line: sec.line,
  };
  if (source !== undefined) out.source = source;
  if (contents !== undefined) out.contents = contents;
  return out;
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGKILL', 'SIGUSR1', 'SIGUSR2'];

function parseExec(sec: Section, warnings: string[]): ExecConfig {
  unknownKeys(sec, ['command', 'restart_on_secret_changes', 'restart_stop_signal', 'child_process_stdout', 'child_process_stderr'], warnings);
  const c = readStringOrList(sec, 'command');
  const command = typeof c === 'string' ? ['/bin/sh', '-c', c] : (c ?? []);
  if (command.length === 0 || command[0] === '') fail(sec, sec.line, 'command', 'is required');
  const restart = readString(sec, 'restart_on_secret_changes') ?? 'always';
  if (restart !== 'always' && restart !== 'never') fail(sec, sec.line, 'restart_on_secret_changes', `must be "always" or "never", not ${JSON.stringify(restart)}`);
  const signal = (readString(sec, 'restart_stop_signal') ?? 'SIGTERM').toUpperCase();
  const sig = signal.startsWith('SIG') ? signal : `SIG${signal}`;
  if (!SIGNALS.includes(sig)) fail(sec, sec.line, 'restart_stop_signal', `must be one of ${SIGNALS.join(', ')}, not ${JSON.stringify(signal)}`);
  return { command, restartOnSecretChanges: restart, restartStopSignal: sig as NodeJS.Signals };
}

function parseListener(sec: Section, warnings: string[]): ListenerConfig {
  const type = sec.label ?? '';
  if (type !== 'tcp' && type !== 'unix') throw configError(sec.file, sec.line, `listener: unsupported type ${JSON.stringify(type)} (supported: tcp, unix)`);
  unknownKeys(sec, ['type', 'address', 'tls_disable', 'tls_cert_file', 'tls_key_file', 'require_request_header', 'role', 'agent_api'], warnings);
  const address = readString(sec, 'address') ?? (type === 'tcp' ? '127.0.0.1:8200' : '');
  if (address === '') fail(sec, sec.line, 'address', 'is required for a unix listener');
  const agentApi = sections(sec, 'agent_api')[0];
  const out: ListenerConfig = {
    type,
    address,
    tlsDisable: readBool(sec, 'tls_disable') ?? false,
    requireRequestHeader: readBool(sec, 'require_request_header') ?? false,
    enableQuit: agentApi ? (readBool(agentApi, 'enable_quit') ?? false) : false,
  };
  const cert = readString(sec, 'tls_cert_file');
  const key = readString(sec, 'tls_key_file');
  if (cert !== undefined) out.tlsCertFile = cert;
  if (key !== undefined) out.tlsKeyFile = key;
  if (!out.tlsDisable && (cert === undefined || key === undefined)) {
    fail(sec, sec.line, 'tls_cert_file', 'and tls_key_file are required unless tls_disable = true');
  }
  return out;
}

function parseUseAutoAuthToken(apiProxy: Section | undefined, cache: Section | undefined, warnings: string[]): UseAutoAuthToken {
  if (apiProxy) unknownKeys(apiProxy, ['use_auto_auth_token', 'enforce_consistency', 'when_inconsistent'], warnings);
  if (cache) unknownKeys(cache, ['use_auto_auth_token', 'persist', 'cache_static_secrets', 'disable_caching_dynamic_secrets'], warnings);
  for (const sec of [apiProxy, cache]) {
    if (sec === undefined) continue;
    const a = attribute(sec, 'use_auto_auth_token');
    if (a === undefined) continue;
    if (a.value.kind === 'string' && a.value.value.trim().toLowerCase() === 'force') return 'force';
    return readBool(sec, 'use_auto_auth_token') ?? false;
  }
  return false;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
