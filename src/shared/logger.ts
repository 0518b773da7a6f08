// Logger: the narrow logging interface every layer receives (pino-compatible subset).

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(fields: LogFields | string, msg?: string): void;
  info(fields: LogFields | string, msg?: string): void;
  warn(fields: LogFields | string, msg?: string): void;
  error(fields: LogFields | string, msg?: string): void;
  child(fields: LogFields): Logger;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'off';

/** Changes log levels at run time (sys/loggers). Names are the `component`/`module` of child loggers. */
export interface LogLevelControl {
  /** The configured level of every named logger, and of the root as "". */
  levels(): Record<string, LogLevel>;
  /** Sets the level of the named logger (or of all when `name` is undefined); false when no logger has that name. */
  setLevel(level: LogLevel, name?: string): boolean;
  /** Puts the named logger (or all) back to the level the server started with. */
  reset(name?: string): boolean;
}
const order: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

export function parseLogLevel(s: string): LogLevel | undefined {
  const l = s.trim().toLowerCase();
  if (l === 'warning') return 'warn';
  if (l === 'err') return 'error';
  return l in order ? (l as LogLevel) : undefined;
}

/** A small structured (JSON lines) or human logger writing to a stream. */
export function createStreamLogger(
  out: { write(s: string): unknown },
  level: LogLevel = 'info',
  format: 'json' | 'standard' = 'standard',
  base: LogFields = {},
): Logger {
  const min = order[level];
  const emit = (lvl: Exclude<LogLevel, 'off' | 'trace'>, fields: LogFields | string, msg?: string): void => {
    if (order[lvl] < min) return;
    const f: LogFields = typeof fields === 'string' ? { ...base } : { ...base, ...fields };
    const m = typeof fields === 'string' ? fields : (msg ?? '');
    const time = new Date().toISOString();
    if (format === 'json') {
      out.write(JSON.stringify({ '@level': lvl, '@message': m, '@timestamp': time, ...f }) + '\n');
    } else {
      const extra = Object.entries(f)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      out.write(`${time} [${lvl.toUpperCase()}] ${m}${extra ? ' ' + extra : ''}\n`);
    }
  };
  return {
    debug: (f, m) => emit('debug', f, m),
    info: (f, m) => emit('info', f, m),
    warn: (f, m) => emit('warn', f, m),
    error: (f, m) => emit('error', f, m),
    child: (fields) => createStreamLogger(out, level, format, { ...base, ...fields }),
  };
}
