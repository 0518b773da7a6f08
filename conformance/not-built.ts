// Vault features Coffer does not implement yet, listed honestly in docs/compatibility.md.
export const NOT_BUILT: readonly string[] = [
  'Secrets engines other than kv (v1, v2), cubbyhole and database: transit, pki, ssh, totp, aws, gcp, azure, ldap, ad (Active Directory), consul, rabbitmq, transform, …',
  'Auth methods other than token, userpass, approle, jwt/oidc and kubernetes (ldap, cert, aws, gcp, azure, github, okta, radius, …); the browser OIDC redirect flow (auth/oidc/oidc/auth_url, callback)',
  'Namespaces (Enterprise), replication, performance standbys, HA storage and raft integrated storage',
  'Seals other than Shamir (auto-unseal with KMS/HSM/transit), sys/rekey (and rekey verification, backup keys), sys/generate-root',
  'Control groups, Sentinel, MFA, sys/raw, plugin catalog (sys/plugins)',
  'Identity: entity merge, OIDC provider/tokens (identity/oidc), MFA',
];
