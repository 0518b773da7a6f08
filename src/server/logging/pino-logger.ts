// The server's logger: pino, in Vault's two formats — `json` (hclog-style keys: @level, @message,
// @timestamp, @module) and `standard` (one human-readable line) — with levels changeable at run
// time per component (sys/loggers), and fields that could carry credentials redacted.

import { pino } from 'pino';
import type { Logger as PinoLogger } from 'pino';
import type { LogFields, Logger, LogLevel, LogLevelControl } from '../../shared/index.js';

/** Field names whose values never reach a log line, at the top level and one level down. */
const SECRET_FIELDS = ['token', 'client_token', 'password', 'secret_id', 'jwt', 'key', 'unseal_key', 'root_token', 'wrapping_token'];
const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);

const PINO_LEVEL: Record<LogLevel, string> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', error: 'error', off: 'silent' };
const FROM_PINO: Record<string, LogLevel> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', error: 'error', silent: 'off', fatal: 'error' };

/** Rewrites one pino JSON line into Vault's standard format: `<time> [LEVEL] module: message: k=v …`. */
function standardLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { '@timestamp': time, '@level': level, '@message': message, '@module': module, ...rest } = o;
  const extra = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const lvl = `[${String(level).toUpperCase()}]`.padEnd(7);
  const mod = typeof module === 'string' && module !== '' ? `${module}: ` : '';
  const text = typeof message === 'string' ? message : JSON.stringify(message ?? '');
  return `${String(time)} ${lvl} ${mod}${text}${extra ? ': ' + extra : ''}\n`;
}

export interface ServerLogging {
  logger: Logger;
  control: LogLevelControl;
}

/** A pino logger writing to `out` (synchronously, line by line). */
export function createServerLogging(out: { write(s: string): unknown }, level: LogLevel, format: 'json' | 'standard'): ServerLogging {
  const root = pino(
    {
      level: PINO_LEVEL[level],
      base: null,
      messageKey: '@message',
      timestamp: () => `,"@timestamp":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ '@level': label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    { write: (line: string) => out.write(format === 'json' ? line : standardLine(line)) },
  );
  // Every child, under the name of its nearest named ancestor ('' = none), since pino children
  // copy their level at creation and must be changed one by one.
  const children: { name: string; logger: PinoLogger }[] = [];

  const wrap = (p: PinoLogger, inherited: string): Logger => {
    const call =
      (lvl: 'debug' | 'info' | 'warn' | 'error') =>
      (fields: LogFields | string, msg?: string): void => {
        if (typeof fields === 'string') p[lvl](fields);
        else p[lvl](fields, msg ?? '');
      };
    return {
      debug: call('debug'),
      info: call('info'),
      warn: call('warn'),
      error: call('error'),
      child: (fields) => {
        const name = typeof fields['component'] === 'string' ? fields['component'] : typeof fields['module'] === 'string' ? fields['module'] : undefined;
        const { component: _c, module: _m, ...rest } = fields;
        const child = p.child(name !== undefined ? { '@module': name, ...rest } : rest);
        children.push({ name: name ?? inherited, logger: child });
        return wrap(child, name ?? inherited);
      },
    };
  };

  const control: LogLevelControl = {
    levels() {
      const out: Record<string, LogLevel> = { '': FROM_PINO[root.level] ?? level };
      for (const c of children) if (c.name !== '' && !(c.name in out)) out[c.name] = FROM_PINO[c.logger.level] ?? level;
      return out;
    },
    setLevel(next, name) {
      const targets = name === undefined ? [root, ...children.map((c) => c.logger)] : children.filter((c) => c.name === name).map((c) => c.logger);
      if (targets.length === 0) return false;
      for (const l of targets) l.level = PINO_LEVEL[next];
      return true;
    },
    reset(name) {
      return control.setLevel(level, name);
    },
  };
  return { logger: wrap(root, ''), control };
}
