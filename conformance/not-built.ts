// Vault features Coffer does not implement yet, listed honestly in docs/compatibility.md.
export const NOT_BUILT: readonly string[] = [
  'Secrets engines other than kv (v1, v2), cubbyhole and database: transit, pki, ssh, totp, aws, gcp, azure, ldap, …',
  'Auth methods other than token, userpass, approle, jwt/oidc and kubernetes (ldap, cert, aws, github, …); the browser OIDC redirect flow',
  'Namespaces (Enterprise), replication, performance standbys, HA storage and raft integrated storage',
  'Seals other than Shamir (auto-unseal with KMS/HSM/transit), sys/rekey, sys/generate-root',
  'Control groups, Sentinel, MFA, sys/raw, plugin catalog (sys/plugins)',
  'Identity: entity merge, OIDC provider/tokens (identity/oidc), MFA',
];
