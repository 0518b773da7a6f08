// Help texts: the top-level command list, a group's subcommands, and one command's usage.

import type { Command } from './command.js';
import { flagHelp } from './flags.js';
import type { FlagSpec } from './flags.js';
import { commands, groups } from './command-table.js';

function listing(entries: readonly [string, string][]): string {
  const width = Math.max(...entries.map(([n]) => n.length));
  return entries.map(([n, s]) => `    ${n.padEnd(width)}    ${s}`).join('\n');
}

export function topLevelHelp(): string {
  const common = ['read', 'write', 'list', 'delete', 'patch', 'status', 'login', 'server'];
  const top = commands.filter((c) => common.includes(c.name)).map((c): [string, string] => [c.name, c.synopsis]);
  // Groups plus the one-word commands that are not common (e.g. unwrap), alphabetically like vault.
  const other = [
    ...Object.entries(groups).filter(([g]) => !g.includes(' ')),
    ...commands.filter((c) => !c.name.includes(' ') && !common.includes(c.name)).map((c): [string, string] => [c.name, c.synopsis]),
  ].sort(([a], [b]) => a.localeCompare(b));
  return `Usage: coffer <command> [args]

Common commands:
${listing(top)}

Other commands:
${listing(other)}

Run "coffer <command> -h" for a command's options.
`;
}

export function groupHelp(group: string): string {
  const subs = commands
    .filter((c) => c.name.startsWith(group + ' '))
    .map((c): [string, string] => [c.name.slice(group.length + 1), c.synopsis]);
  // Nested groups (kv metadata) show once, as their own entry.
  const nested = Object.keys(groups).filter((g) => g.startsWith(group + ' ')).map((g) => g.slice(group.length + 1));
  const shown = subs.filter(([n]) => !nested.some((g) => n.startsWith(g + ' ')));
  shown.push(...nested.map((g): [string, string] => [g, groups[`${group} ${g}`] ?? '']));
  return `Usage: coffer ${group} <subcommand> [options] [args]

  ${groups[group] ?? ''}

Subcommands:
${listing(shown)}
`;
}

export function commandHelp(command: Command, allFlags: readonly FlagSpec[]): string {
  const own = flagHelp(command.flags);
  const shared = flagHelp(allFlags.filter((f) => !command.flags.includes(f)));
  let text = command.help + '\n';
  if (shared !== '') text += `\nHTTP and output options:\n\n${shared}\n`;
  if (own !== '') text += `\nCommand options:\n\n${own}\n`;
  return text;
}
