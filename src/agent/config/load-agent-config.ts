// Loads the -config paths (files, or directories of .hcl/.json files) and merges them in order:
// lists (templates, sinks, listeners, env templates) concatenate, single settings from later files win.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CofferError } from '../../shared/index.js';
import { parseAgentConfig } from './parse-agent-config.js';
import type { AgentConfig } from './types.js';

/** Reads and merges every file. Throws CofferError(invalid_request) for unreadable paths and bad configs. */
export function loadAgentConfig(paths: readonly string[]): AgentConfig {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      throw new CofferError('invalid_request', `error loading configuration from ${p}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (isDir) {
      for (const f of readdirSync(p).sort()) if (/\.(hcl|json)$/i.test(f)) files.push(join(p, f));
    } else files.push(p);
  }
  if (files.length === 0) throw new CofferError('invalid_request', 'no configuration files found');
  const configs = files.map((f) => parseAgentConfig(readFileSync(f, 'utf8'), f));
  return configs.reduce(mergeAgentConfigs);
}

/** Merges `b` over `a`. */
export function mergeAgentConfigs(a: AgentConfig, b: AgentConfig): AgentConfig {
  const out: AgentConfig = {
    ...a,
    ...b,
    vault: { ...a.vault, ...b.vault },
    templates: [...a.templates, ...b.templates],
    envTemplates: [...a.envTemplates, ...b.envTemplates],
    listeners: [...a.listeners, ...b.listeners],
    useAutoAuthToken: b.useAutoAuthToken !== false ? b.useAutoAuthToken : a.useAutoAuthToken,
    pidFile: b.pidFile !== '' ? b.pidFile : a.pidFile,
    exitAfterAuth: a.exitAfterAuth || b.exitAfterAuth,
    warnings: [...a.warnings, ...b.warnings],
  };
  const autoAuth = b.autoAuth ?? a.autoAuth;
  if (autoAuth) out.autoAuth = autoAuth;
  const exec = b.exec ?? a.exec;
  if (exec) out.exec = exec;
  return out;
}
