// api/testing: test doubles for code that talks to a Vault-compatible server. Test-only door.
export { envelope, startFakeVault } from './fake-vault.js';
export type { CannedResponse, FakeVault, RecordedRequest, Responder } from './fake-vault.js';
