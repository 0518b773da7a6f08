// `coffer operator init`: initializes the server's seal and prints the unseal keys and root token.

import type { InitResponse } from '../../api/index.js';
import type { Command } from '../command.js';
import { argsError, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { formatStructured } from '../output/format.js';

/** The JSON shape vault's `operator init -format=json` prints. */
export function initJson(res: InitResponse, shares: number, threshold: number): Record<string, unknown> {
  return {
    unseal_keys_b64: res.keys_base64,
    unseal_keys_hex: res.keys,
    unseal_shares: shares,
    unseal_threshold: threshold,
    recovery_keys_b64: res.recovery_keys_base64,
    recovery_keys_hex: res.recovery_keys,
    recovery_keys_shares: 0,
    recovery_keys_threshold: 0,
    root_token: res.root_token,
  };
}

export function initText(res: InitResponse, shares: number, threshold: number): string {
  const lines = res.keys_base64.map((k, i) => `Unseal Key ${i + 1}: ${k}`);
  lines.push('', `Initial Root Token: ${res.root_token}`, '');
  lines.push(
    `The server was initialized with ${shares} key shares and a key threshold of ${threshold}.`,
    'Distribute the key shares printed above to their keepers and store them safely.',
    `Whenever the server is sealed, restarted or stopped, at least ${threshold} of these`,
    'keys must be supplied to unseal it before it can serve requests.',
    '',
    `The server does not keep the generated root key. Without at least ${threshold} keys to`,
    'rebuild the root key, the data stays sealed for good.',
    '',
    'New unseal keys can be generated later, given a quorum of the existing key shares',
    '(rekey).',
  );
  return lines.join('\n') + '\n';
}

export const operatorInitCommand: Command = {
  name: 'operator init',
  synopsis: 'Initializes a server',
  help: `Usage: coffer operator init [options]

  Initializes a new server: generates the root key, splits it into key shares
  (Shamir's secret sharing) and returns them with an initial root token.
  This can happen only once per storage backend.`,
  flags: [
    { name: 'key-shares', kind: 'int', usage: 'Number of key shares to split the root key into.', default: 5 },
    { name: 'key-threshold', kind: 'int', usage: 'Number of key shares required to rebuild the root key.', default: 3 },
  ],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 0);
    if (argsFailed !== undefined) return argsFailed;
    const shares = ctx.flags.int('key-shares');
    const threshold = ctx.flags.int('key-threshold');
    const client = ctx.client();
    let res: InitResponse;
    try {
      // Like vault: the seal status says whether recovery keys are in play (auto-unseal seals).
      const status = await client.sealStatus();
      res = await client.init({
        secret_shares: shares,
        secret_threshold: threshold,
        ...(status.recovery_seal ? { recovery_shares: shares, recovery_threshold: threshold } : {}),
      });
    } catch (e) {
      return apiFailure(ctx, 'Error initializing', e);
    }
    if (ctx.format === 'table') ctx.out(initText(res, shares, threshold));
    else ctx.out(formatStructured(ctx.format, initJson(res, shares, threshold)));
    return exitOk;
  },
};
