// The scenario registry: add a scenario file beside this one and list it here.
import type { Scenario } from '../scenario.js';
import { approleLogin } from './approle-login.js';
import { databaseCreds } from './database-creds.js';
import { kvV1Read } from './kv-v1-read.js';
import { kvV1ReadAudit } from './kv-v1-read-audit.js';
import { kvV2Read } from './kv-v2-read.js';
import { kvV2Write } from './kv-v2-write.js';
import { tokenCreate } from './token-create.js';

export const SCENARIOS: readonly Scenario[] = [kvV1Read, kvV2Read, kvV2Write, tokenCreate, approleLogin, kvV1ReadAudit, databaseCreds];

/**
 * The scenarios named, in the order given (all of them for an empty list). Throws an Error listing
 * the known names when one is unknown.
 */
export function selectScenarios(names: readonly string[], registry: readonly Scenario[] = SCENARIOS): Scenario[] {
  if (names.length === 0) return [...registry];
  return names.map((name) => {
    const found = registry.find((s) => s.name === name);
    if (found === undefined) {
      throw new Error(`unknown scenario "${name}"; known: ${registry.map((s) => s.name).join(', ')}`);
    }
    return found;
  });
}
