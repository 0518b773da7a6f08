// `coffer agent`: runs the Vault Agent compatible agent from one or more -config files. The agent
// layer is imported lazily so that other commands never load it.

import type { Command } from '../command.js';
import { exitLocal } from '../command.js';

/** -config (repeatable), -log-level (else VAULT_LOG_LEVEL, else the config), -exit-after-auth. */
export const agentCommand: Command = {
  name: 'agent',
  synopsis: 'Start an agent (auto-auth, templates, process supervisor, API proxy)',
  help: `Usage: coffer agent [options]

  Starts an agent that authenticates to the server (auto_auth), writes tokens to sinks,
  renders templates, supervises a child process (exec) and proxies API requests, as
  configured by one or more -config files or directories (HCL or JSON, Vault Agent syntax).`,
  flags: [
    { name: 'config', kind: 'list', usage: 'Path to a configuration file or directory; repeatable.' },
    { name: 'log-level', kind: 'string', usage: 'Log verbosity: trace, debug, info, warn, error (VAULT_LOG_LEVEL).', default: 'info' },
    { name: 'exit-after-auth', kind: 'bool', usage: 'Exit after the first successful authentication and template render.' },
  ],
  http: false,
  output: false,
  async run(ctx) {
    if (ctx.args.length > 0) {
      ctx.err(`Too many arguments (expected 0, got ${ctx.args.length})`);
      return exitLocal;
    }
    const configPaths = ctx.flags.list('config');
    if (configPaths.length === 0) {
      ctx.err('At least one config path must be specified with -config');
      return exitLocal;
    }
    const level = ctx.flags.isSet('log-level') ? ctx.flags.str('log-level') : ctx.io.env['VAULT_LOG_LEVEL'];
    const { runAgent } = await import('../../agent/index.js');
    return runAgent({
      configPaths,
      ...(level !== undefined && level !== '' ? { logLevel: level } : {}),
      ...(ctx.flags.bool('exit-after-auth') ? { exitAfterAuth: true } : {}),
      stderr: ctx.io.stderr,
      env: ctx.io.env,
    });
  },
};
