// runAgent: what `coffer agent` runs — load the config files, log to stderr, start the agent,
// and map process signals onto it (forwarded to the exec child when there is one).

import { createStreamLogger, parseLogLevel } from '../shared/index.js';
import { startAgent } from './agent.js';
import { loadAgentConfig } from './config/load-agent-config.js';
import type { TemplateRenderer } from './templating/renderer.js';

export interface RunAgentOptions {
  configPaths: readonly string[];
  /** trace|debug|info|warn|error; overrides the config's log_level. */
  logLevel?: string;
  /** -exit-after-auth: overrides the config when true. */
  exitAfterAuth?: boolean;
  /** The template engine; default: the built-in Go text/template engine. */
  renderer?: TemplateRenderer;
  stderr?: { write(s: string): unknown };
  /** VAULT_* overrides, template `env`, the exec child's environment; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Runs until the agent finishes; resolves with the process exit code (1 for config/start-up errors). */
export async function runAgent(opts: RunAgentOptions): Promise<number> {
  const stderr = opts.stderr ?? process.stderr;
  let config;
  try {
    config = loadAgentConfig(opts.configPaths);
  } catch (e) {
    stderr.write(`Error loading configuration: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (opts.exitAfterAuth === true) config.exitAfterAuth = true;
  const levelText = opts.logLevel ?? config.logLevel ?? 'info';
  const level = parseLogLevel(levelText);
  if (level === undefined) {
    stderr.write(`Error: unknown log level ${JSON.stringify(levelText)}\n`);
    return 1;
  }
  const logger = createStreamLogger(stderr, level, config.logFormat ?? 'standard');
  for (const w of config.warnings) logger.warn(w);
  if (config.autoAuth === undefined && config.listeners.length === 0 && config.templates.length === 0 && config.exec === undefined) {
    stderr.write('Error: no auto_auth, template, exec or listener configured; nothing to do\n');
    return 1;
  }
  let agent;
  try {
    agent = await startAgent({ config, logger, ...(opts.renderer ? { renderer: opts.renderer } : {}), ...(opts.env ? { env: { ...opts.env } } : {}) });
  } catch (e) {
    stderr.write(`Error starting agent: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  logger.info('==> Coffer agent started');
  const running = agent;
  const onSignal = (signal: NodeJS.Signals): void => {
    // With exec the child decides: it gets the signal and the agent exits with its code.
    if (running.forwardSignal(signal)) return;
    if (signal === 'SIGHUP') {
      logger.info('SIGHUP received; configuration reload is not supported, ignoring');
      return;
    }
    logger.info({ signal }, 'shutdown triggered');
    void running.stop(0);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  const code = await running.done;
  for (const s of signals) process.off(s, onSignal);
  return code;
}
