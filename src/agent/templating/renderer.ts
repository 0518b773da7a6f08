// The narrow interface between the template runner and a template engine. The runner supplies a
// TemplateDataSource (Vault reads/writes/lists, cached and refreshed by the runner); the engine
// executes the template text against it. The real engine (src/agent/template/) plugs in through
// a small adapter; tests use a fake.

/** One Vault response as templates see it (`.Data`, `.LeaseID`, `.LeaseDuration`, `.Renewable`, …). */
export interface TemplateSecret {
  /**
   * The whole response envelope (`request_id`, `lease_id`, `lease_duration`, `renewable`,
   * `data`, `warnings`, `auth`, `wrap_info`) as JSON.parse gives it.
   */
  readonly body: { readonly [key: string]: unknown };
  /**
   * The response body text exactly as received: engines that must keep numbers' source text (Go's
   * json.Number, as consul-template reads Vault) decode this.
   */
  readonly rawText: string;
}

export interface TemplateDataSource {
  /**
   * `secret "path"` (GET, `path` may carry `?version=2`) or, with `writeArgs` (`"k=v"` strings),
   * a PUT of those pairs. Resolves with the response; rejects with NoSecretError when there is
   * no secret at `path` ("no secret exists at …"), or another Error when the request failed —
   * rendering must then fail.
   * Repeated calls with the same arguments during one render return the same (cached) response.
   */
  secret(path: string, writeArgs?: readonly string[]): Promise<TemplateSecret>;
  /** `secrets "path/"`: the keys under `path`, sorted; folders end in `/`. [] when nothing is there. */
  list(path: string): Promise<string[]>;
}

export interface RenderOptions {
  /** For error messages: the destination, or `env_template "NAME"`. */
  name: string;
  leftDelim: string;
  rightDelim: string;
  /** `error` when error_on_missing_key is set, else `zero` (prints `<no value>`). */
  missingKey: 'zero' | 'error';
  /** Environment for `env`/`mustEnv`/`envOrDefault`. */
  env: Readonly<Record<string, string | undefined>>;
  /** `sandbox_path`: the `file` function reads only inside it. */
  sandboxPath?: string;
}

export interface TemplateRenderer {
  /** Executes `text`; rejects on parse errors, execution errors and data-source failures. */
  render(text: string, opts: RenderOptions, source: TemplateDataSource): Promise<string>;
}
