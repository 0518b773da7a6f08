// `coffer server`: parses vault's server flags and hands over to server/'s runServer. The server
// layer is imported lazily so that client commands start fast and never load it.

import type { Command } from './command.js';
import { exitLocal } from './command.js';

export interface ServerCommandOptions {
  configPaths: string[];
  dev: boolean;
  devRootTokenId?: string;
  devListenAddress?: string;
  logLevel?: string;
  logFormat?: 'standard' | 'json';
  devStorage?: 'inmem' | 'sqlite';
}

/** Flags map to runServer options; dev flags fall back to VAULT_DEV_ROOT_TOKEN_ID, VAULT_DEV_LISTEN_ADDRESS, VAULT_LOG_LEVEL. */
export const serverCommand: Command = {
  name: 'server',
  synopsis: 'Start a server',
  help: `Usage: coffer server [options]

  Starts a server that answers the HTTP API. Configuration comes from one or more
  -config files or directories (HCL or JSON). -dev starts an in-memory, unsealed
  server with a root token, for development only.`,
  flags: [
    { name: 'config', kind: 'list', usage: 'Path to a configuration file or directory; repeatable.' },
    { name: 'dev', kind: 'bool', usage: 'Development mode: in-memory storage, unsealed, root token printed.' },
    { name: 'dev-root-token-id', kind: 'string', usage: 'Root token id in dev mode (VAULT_DEV_ROOT_TOKEN_ID).' },
    { name: 'dev-listen-address', kind: 'string', usage: 'Listen address in dev mode (VAULT_DEV_LISTEN_ADDRESS).', default: '127.0.0.1:8200' },
    { name: 'dev-storage', kind: 'string', usage: 'Dev mode storage: inmem (default) or sqlite (a fresh temporary file; Coffer extension).', default: 'inmem' },
    { name: 'log-level', kind: 'string', usage: 'Log verbosity: trace, debug, info, warn, error (VAULT_LOG_LEVEL).', default: 'info' },
    { name: 'log-format', kind: 'string', usage: 'Log format: standard or json (VAULT_LOG_FORMAT).', default: 'standard' },
  ],
  http: false,
  output: false,
  async run(ctx) {
    if (ctx.args.length > 0) {
      ctx.err(`Too many arguments (expected 0, got ${ctx.args.length})`);
      return exitLocal;
    }
    const env = ctx.io.env;
    const opts: ServerCommandOptions = { configPaths: ctx.flags.list('config'), dev: ctx.flags.bool('dev') };
    if (opts.configPaths.length === 0 && !opts.dev) {
      ctx.err('At least one config path must be specified with -config');
      return exitLocal;
    }
    const token = ctx.flags.isSet('dev-root-token-id') ? ctx.flags.str('dev-root-token-id') : env['VAULT_DEV_ROOT_TOKEN_ID'];
    if (token !== undefined && token !== '') opts.devRootTokenId = token;
    const listen = ctx.flags.isSet('dev-listen-address') ? ctx.flags.str('dev-listen-address') : env['VAULT_DEV_LISTEN_ADDRESS'];
    if (listen !== undefined && listen !== '') opts.devListenAddress = listen;
    const storage = ctx.flags.str('dev-storage');
    if (storage !== 'inmem' && storage !== 'sqlite') {
      ctx.err(`-dev-storage must be "inmem" or "sqlite", not ${JSON.stringify(storage)}`);
      return exitLocal;
    }
    if (storage === 'sqlite') opts.devStorage = 'sqlite';
    const level = ctx.flags.isSet('log-level') ? ctx.flags.str('log-level') : env['VAULT_LOG_LEVEL'];
    if (level !== undefined && level !== '') opts.logLevel = level;
    const format = ctx.flags.isSet('log-format') ? ctx.flags.str('log-format') : env['VAULT_LOG_FORMAT'];
    if (format !== undefined && format !== '') {
      if (format !== 'standard' && format !== 'json') {
        ctx.err(`-log-format must be "standard" or "json", not ${JSON.stringify(format)}`);
        return exitLocal;
      }
      opts.logFormat = format;
    }
    const { runServer } = await import('../server/index.js');
    return runServer(opts);
  },
};
