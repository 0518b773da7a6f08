// Composition of the agent: auto-auth feeding sinks, the template runner (file and env
// templates), the exec supervisor and the API proxy, run until stopped, a fatal error, the child
// exiting, or — with exit_after_auth — the first token plus one render of every template.

import { rm, writeFile } from 'node:fs/promises';
import type { Env } from '../api/index.js';
import type { Logger } from '../shared/index.js';
import { createAuthMethod } from './auth/auth-method.js';
import { createAutoAuth } from './auth/auto-auth.js';
import type { AutoAuth } from './auth/auto-auth.js';
import type { AgentConfig } from './config/types.js';
import type { ExecSupervisor } from './exec/exec-supervisor.js';
import type { ApiProxy } from './proxy/api-proxy.js';
import { createFileSink } from './sink/file-sink.js';
import { loadDefaultRenderer } from './templating/default-renderer.js';
import type { TemplateRenderer } from './templating/renderer.js';
import type { CommandRunner } from './templating/run-command.js';
import type { RunnerTemplate, TemplateRunner } from './templating/template-runner.js';
import { createSystemTimers } from './timers.js';
import type { Timers } from './timers.js';
import { createVaultConnection } from './vault-connection.js';

export interface AgentOptions {
  config: AgentConfig;
  /** Environment for VAULT_* overrides, template `env` and the exec child; default process.env. */
  env?: Env;
  /** The template engine; by default the built-in Go text/template engine, loaded only when the config has templates. */
  renderer?: TemplateRenderer;
  logger: Logger;
  timers?: Timers;
  random?: () => number;
  runCommand?: CommandRunner;
  /** Child stdio for exec (tests use 'ignore'). */
  execStdio?: 'inherit' | 'ignore';
}

export interface RunningAgent {
  /** Resolves with the process exit code once the agent has finished and cleaned up. */
  readonly done: Promise<number>;
  /** Stops everything (the exec child too); `done` then resolves with `code` (default 0). */
  stop(code?: number): Promise<void>;
  /** Sends a signal to the exec child, if any; false when there is none. */
  forwardSignal(signal: NodeJS.Signals): boolean;
  /** Bound API proxy addresses (`host:port`). */
  readonly proxyAddresses: readonly string[];
  /** The current auto-auth token. */
  token(): string | undefined;
  readonly templates: TemplateRunner | undefined;
}

/**
 * Starts the agent. Rejects (having cleaned up) when the setup itself fails: a listener that
 * cannot bind, an unwritable pid file, an unreadable CA file.
 */
export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const { config, logger } = opts;
  const env = opts.env ?? process.env;
  const timers = opts.timers ?? createSystemTimers();
  const templateBlocks = config.templates.length + config.envTemplates.length;
  const renderer = opts.renderer ?? (templateBlocks > 0 ? await loadDefaultRenderer() : undefined);
  const conn = createVaultConnection(config.vault, env);
  if (templateBlocks > 0 && renderer === undefined) {
    conn.close();
    throw new Error('template blocks need a template engine, and none is available in this build');
  }

  let finished = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let auth: AutoAuth | undefined;
  let runner: TemplateRunner | undefined;
  let supervisor: ExecSupervisor | undefined;
  let proxy: ApiProxy | undefined;

  async function finish(code: number): Promise<void> {
    if (finished) return;
    finished = true;
    auth?.stop();
    runner?.stop();
    await supervisor?.stop();
    await proxy?.close();
    conn.close();
    if (config.pidFile !== '') await rm(config.pidFile, { force: true });
    logger.info({ code }, 'agent stopped');
    resolveDone(code);
  }
  const fatal = (what: string) => (e: Error) => {
    logger.error({ error: e.message }, what);
    void finish(1);
  };

  try {
    if (config.pidFile !== '') await writeFile(config.pidFile, String(process.pid), { mode: 0o600 });

    if (config.autoAuth) {
      const m = config.autoAuth.method;
      auth = createAutoAuth({
        method: createAuthMethod(m, conn),
        conn,
        sinks: config.autoAuth.sinks.map((s) => createFileSink(s, conn)),
        minBackoffMs: m.minBackoffMs,
        maxBackoffMs: m.maxBackoffMs,
        exitOnErr: m.exitOnErr,
        timers,
        logger,
        ...(opts.random ? { random: opts.random } : {}),
      });
      void auth.fatal.then(fatal('auto-auth failed and exit_on_err is set'));
    }
    const envToken = env['VAULT_TOKEN'];
    const currentToken = (): string | undefined => auth?.token() ?? (envToken !== undefined && envToken !== '' ? envToken : undefined);

    if (templateBlocks > 0 && renderer !== undefined) {
      const templates: RunnerTemplate[] = [
        ...config.templates.map((t): RunnerTemplate => ({
          id: t.destination,
          destination: t.destination,
          createDestDirs: t.createDestDirs,
          backup: t.backup,
          ...(t.wait !== undefined ? { wait: t.wait } : {}),
          ...(t.user !== undefined ? { user: t.user } : {}),
          ...(t.group !== undefined ? { group: t.group } : {}),
          ...(t.sandboxPath !== undefined ? { sandboxPath: t.sandboxPath } : {}),
          commandTimeoutMs: t.commandTimeoutMs,
          errorOnMissingKey: t.errorOnMissingKey,
          leftDelimiter: t.leftDelimiter,
          rightDelimiter: t.rightDelimiter,
          ...(t.contents !== undefined ? { contents: t.contents } : {}),
          ...(t.source !== undefined ? { source: t.source } : {}),
          ...(t.perms !== undefined ? { perms: t.perms } : {}),
          ...(t.command !== undefined ? { command: t.command } : {}),
        })),
        ...config.envTemplates.map((t): RunnerTemplate => ({
          id: t.name,
          createDestDirs: false,
          commandTimeoutMs: 0,
          errorOnMissingKey: t.errorOnMissingKey,
          leftDelimiter: t.leftDelimiter,
          rightDelimiter: t.rightDelimiter,
          ...(t.contents !== undefined ? { contents: t.contents } : {}),
          ...(t.source !== undefined ? { source: t.source } : {}),
        })),
      ];
      // Parts the config does not use are never loaded (the agent's idle memory matters).
      const { createTemplateRunner } = await import('./templating/template-runner.js');
      runner = createTemplateRunner({
        templates,
        renderer,
        conn,
        token: currentToken,
        timers,
        logger,
        settings: { staticIntervalMs: config.templateConfig.staticSecretRenderIntervalMs, threshold: config.templateConfig.leaseRenewalThreshold },
        exitOnRetryFailure: config.templateConfig.exitOnRetryFailure,
        numRetries: config.vault.retry.numRetries,
        env,
        ...(opts.random ? { random: opts.random } : {}),
        ...(opts.runCommand ? { runCommand: opts.runCommand } : {}),
      });
      void runner.fatal.then(fatal('template rendering failed and exit_on_retry_failure is set'));
    }

    if (config.exec) {
      const { createExecSupervisor } = await import('./exec/exec-supervisor.js');
      const sup = createExecSupervisor({
        command: config.exec.command,
        restartOnSecretChanges: config.exec.restartOnSecretChanges,
        restartStopSignal: config.exec.restartStopSignal,
        baseEnv: env,
        timers,
        logger,
        ...(opts.execStdio ? { stdio: opts.execStdio } : {}),
      });
      supervisor = sup;
      const envNames = new Set(config.envTemplates.map((t) => t.name));
      const vars = (): Record<string, string> => {
        const out: Record<string, string> = {};
        for (const [k, v] of runner?.outputs() ?? []) if (envNames.has(k)) out[k] = v;
        return out;
      };
      runner?.onChange((id) => {
        if (envNames.has(id) && !finished) void sup.update(vars());
      });
      void sup.exited.then((code) => finish(code));
      void (runner?.rendered ?? Promise.resolve()).then(() => {
        if (!finished && !config.exitAfterAuth) void sup.update(vars());
      });
    }

    if (config.listeners.length > 0) {
      const { createApiProxy } = await import('./proxy/api-proxy.js');
      proxy = createApiProxy({
        listeners: config.listeners,
        conn,
        token: currentToken,
        useAutoAuthToken: config.useAutoAuthToken,
        logger,
        onQuit: () => void finish(0),
        numRetries: config.vault.retry.numRetries,
      });
    }
    const proxyAddresses = proxy ? await proxy.start() : [];

    if (auth) {
      let first = true;
      auth.onToken(() => {
        // Every new token (not renewals) re-fetches what the templates read, as Vault Agent does.
        if (first) runner?.start();
        else runner?.restart();
        first = false;
      });
      auth.start();
    } else runner?.start();

    if (config.exitAfterAuth) {
      void (async () => {
        if (auth) await auth.ready;
        if (runner) await runner.rendered;
        logger.info('exit_after_auth is set: exiting after the first authentication and render');
        await finish(0);
      })().catch(() => undefined);
    }

    return {
      done,
      stop: (code = 0) => finish(code),
      forwardSignal(signal) {
        if (supervisor?.pid() === undefined) return false;
        supervisor.forward(signal);
        return true;
      },
      proxyAddresses,
      token: currentToken,
      templates: runner,
    };
  } catch (e) {
    await finish(1);
    throw e;
  }
}
