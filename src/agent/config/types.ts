// The parsed Vault Agent configuration: every default applied, durations in milliseconds,
// file modes as numbers. Produced by parseAgentConfig; consumed by the agent's composition.

export interface RetryConfig {
  /** Retries after the first attempt; Vault's default is 12, -1 disables retries. */
  numRetries: number;
}

export interface VaultConnectionConfig {
  /** From the config; VAULT_ADDR overrides it (resolved by the caller). */
  address?: string;
  caCert?: string;
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  tlsSkipVerify?: boolean;
  tlsServerName?: string;
  namespace?: string;
  retry: RetryConfig;
}

export type AuthMethodType = 'approle' | 'kubernetes' | 'jwt' | 'token_file';

export interface AuthMethodConfig {
  type: AuthMethodType;
  /** Without a leading or trailing slash, e.g. `auth/approle`. */
  mountPath: string;
  namespace?: string;
  /** Response-wrap the login; the agent then does not renew the token. */
  wrapTtl?: string;
  minBackoffMs: number;
  maxBackoffMs: number;
  exitOnErr: boolean;
  /** The method's `config` map, plain values. */
  config: Record<string, unknown>;
  line: number;
}

export interface FileSinkConfig {
  type: 'file';
  path: string;
  /** File mode; 0 leaves the mode as the system makes it. Default 0o640. */
  mode: number;
  /** When set the sink receives a wrapping token (sys/wrapping/wrap) instead of the token. */
  wrapTtlSeconds?: number;
  line: number;
}

export interface AutoAuthConfig {
  method: AuthMethodConfig;
  sinks: FileSinkConfig[];
}

export interface TemplateConfig {
  source?: string;
  contents?: string;
  destination: string;
  createDestDirs: boolean;
  /** Keep the previous content as `<destination>.bak` when a render replaces the file. */
  backup: boolean;
  /**
   * `wait`: a changed render is written only once no further change came for `minMs`, and at
   * the latest `maxMs` after the first unwritten change (consul-template's quiescence).
   */
  wait?: { minMs: number; maxMs: number };
  /** Owner and group of the written file (names or numeric ids). */
  user?: string;
  group?: string;
  /** The `file` function may read only inside this directory. */
  sandboxPath?: string;
  /** Octal mode; undefined keeps an existing file's mode, else 0o644. */
  perms?: number;
  /** Shell command (string) or argv (array) run after a render changed the file. */
  command?: string | string[];
  commandTimeoutMs: number;
  errorOnMissingKey: boolean;
  leftDelimiter: string;
  rightDelimiter: string;
  /** Where the block is, for messages. */
  file: string;
  line: number;
}

export interface TemplateEngineConfig {
  exitOnRetryFailure: boolean;
  staticSecretRenderIntervalMs: number;
  /** Fraction of a non-renewable lease after which it is re-fetched (default 0.9). */
  leaseRenewalThreshold: number;
}

export interface EnvTemplateConfig {
  name: string;
  source?: string;
  contents?: string;
  errorOnMissingKey: boolean;
  leftDelimiter: string;
  rightDelimiter: string;
  file: string;
  line: number;
}

export interface ExecConfig {
  command: string[];
  restartOnSecretChanges: 'always' | 'never';
  restartStopSignal: NodeJS.Signals;
}

export interface ListenerConfig {
  type: 'tcp' | 'unix';
  address: string;
  tlsDisable: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  requireRequestHeader: boolean;
  enableQuit: boolean;
}

export type UseAutoAuthToken = false | true | 'force';

export interface AgentConfig {
  vault: VaultConnectionConfig;
  autoAuth?: AutoAuthConfig;
  templates: TemplateConfig[];
  templateConfig: TemplateEngineConfig;
  envTemplates: EnvTemplateConfig[];
  exec?: ExecConfig;
  /** From api_proxy, else the legacy cache block. */
  useAutoAuthToken: UseAutoAuthToken;
  listeners: ListenerConfig[];
  pidFile: string;
  exitAfterAuth: boolean;
  logLevel?: string;
  logFormat?: 'standard' | 'json';
  /** Unknown keys and ignored settings, as `file:line: message`. */
  warnings: string[];
}
