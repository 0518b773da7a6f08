// The command table: every `coffer` command, keyed by the words that select it. Loading it loads
// every client command; registry.ts reaches the long-running ones (server, agent) without it.

import type { Command } from './command.js';
import { authDisableCommand, authEnableCommand, authListCommand } from './commands/auth.js';
import {
  kvDeleteCommand,
  kvDestroyCommand,
  kvEnableVersioningCommand,
  kvGetCommand,
  kvListCommand,
  kvMetadataDeleteCommand,
  kvMetadataGetCommand,
  kvPatchCommand,
  kvPutCommand,
  kvUndeleteCommand,
} from './commands/kv.js';
import { kvMetadataPatchCommand, kvMetadataPutCommand } from './commands/kv-metadata-write.js';
import { kvRollbackCommand } from './commands/kv-rollback.js';
import { unwrapCommand } from './commands/unwrap.js';
import { deleteCommand, listCommand, patchCommand, readCommand, writeCommand } from './commands/logical.js';
import { operatorInitCommand } from './commands/operator-init.js';
import { operatorKeyStatusCommand, operatorRotateCommand } from './commands/operator-keys.js';
import { operatorSealCommand, operatorStepDownCommand } from './commands/operator-seal.js';
import { operatorUnsealCommand } from './commands/operator-unseal.js';
import { secretsDisableCommand, secretsEnableCommand, secretsListCommand, secretsMoveCommand, secretsTuneCommand } from './commands/secrets.js';
import { leaseLookupCommand, leaseRenewCommand, leaseRevokeCommand } from './commands/lease.js';
import { loginCommand } from './commands/login.js';
import { policyDeleteCommand, policyFmtCommand, policyListCommand, policyReadCommand, policyWriteCommand } from './commands/policy.js';
import { statusCommand } from './commands/status.js';
import { tokenCapabilitiesCommand, tokenCreateCommand, tokenLookupCommand, tokenRenewCommand, tokenRevokeCommand } from './commands/token.js';
import { serverCommand } from './server-command.js';
import { agentCommand } from './commands/agent.js';

export const commands: readonly Command[] = [
  serverCommand,
  agentCommand,
  statusCommand,
  operatorInitCommand,
  operatorUnsealCommand,
  operatorSealCommand,
  operatorStepDownCommand,
  operatorKeyStatusCommand,
  operatorRotateCommand,
  readCommand,
  writeCommand,
  listCommand,
  deleteCommand,
  patchCommand,
  secretsEnableCommand,
  secretsDisableCommand,
  secretsListCommand,
  secretsTuneCommand,
  secretsMoveCommand,
  authEnableCommand,
  authDisableCommand,
  authListCommand,
  kvGetCommand,
  kvPutCommand,
  kvPatchCommand,
  kvListCommand,
  kvDeleteCommand,
  kvUndeleteCommand,
  kvDestroyCommand,
  kvMetadataGetCommand,
  kvMetadataPutCommand,
  kvMetadataPatchCommand,
  kvMetadataDeleteCommand,
  kvRollbackCommand,
  kvEnableVersioningCommand,
  loginCommand,
  policyWriteCommand,
  policyReadCommand,
  policyListCommand,
  policyDeleteCommand,
  policyFmtCommand,
  tokenCreateCommand,
  tokenLookupCommand,
  tokenRenewCommand,
  tokenRevokeCommand,
  tokenCapabilitiesCommand,
  leaseLookupCommand,
  leaseRenewCommand,
  leaseRevokeCommand,
  unwrapCommand,
];

/** Group words (`operator`, `secrets`, `auth`) and what they group. */
export const groups: Readonly<Record<string, string>> = {
  operator: 'Perform operator-specific tasks',
  secrets: 'Interact with secrets engines',
  auth: 'Interact with auth methods',
  kv: 'Interact with the key/value secrets engine',
  'kv metadata': 'Interact with key/value secret metadata',
  policy: 'Interact with policies',
  token: 'Interact with tokens',
  lease: 'Interact with leases',
};

const byName = new Map(commands.map((c) => [c.name, c]));

/** Finds the command named by the leading words of `argv` (longest match); `rest` follows them. */
export function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (let n = Math.min(3, argv.length); n >= 1; n--) {
    const command = byName.get(argv.slice(0, n).join(' '));
    if (command !== undefined) return { command, rest: argv.slice(n) };
  }
  return undefined;
}

/** The longest group named by the leading words of `argv` (e.g. `kv metadata`), if any. */
export function findGroup(argv: readonly string[]): string | undefined {
  for (let n = Math.min(2, argv.length); n >= 1; n--) {
    const name = argv.slice(0, n).join(' ');
    if (name in groups) return name;
  }
  return undefined;
}
