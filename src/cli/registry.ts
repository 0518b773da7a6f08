// Finds the command named on the command line. The long-running commands (`server`, `agent`) are
// loaded on their own, so a server or agent process never loads the client commands' code (that
// is resident memory for the life of the process); everything else goes through the full table.

import type { Command } from './command.js';
import type * as Help from './help.js';

const standalone: Readonly<Record<string, () => Promise<Command>>> = {
  server: async () => (await import('./server-command.js')).serverCommand,
  agent: async () => (await import('./commands/agent.js')).agentCommand,
};

/** Finds the command named by the leading words of `argv` (longest match); `rest` follows them. */
export async function findCommand(argv: readonly string[]): Promise<{ command: Command; rest: string[] } | undefined> {
  const first = argv[0];
  const load = first !== undefined && Object.hasOwn(standalone, first) ? standalone[first] : undefined;
  if (load !== undefined) return { command: await load(), rest: argv.slice(1) };
  return (await import('./command-table.js')).findCommand(argv);
}

/** The longest group named by the leading words of `argv` (e.g. `kv metadata`), if any. */
export async function findGroup(argv: readonly string[]): Promise<string | undefined> {
  return (await import('./command-table.js')).findGroup(argv);
}

/** Help texts (they list every command, so they load the table). */
export async function helpTexts(): Promise<typeof Help> {
  return import('./help.js');
}
