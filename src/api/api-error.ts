// ApiError: the one failure type of the API client. Its message reads like the vault CLI's
// "Error making API request." block so the CLI can print it verbatim.

/** A failed request: an HTTP status ≥ 400, or status 0 for connection errors and timeouts. */
export class ApiError extends Error {
  /** HTTP status; 0 when no response arrived (connection refused, TLS failure, timeout). */
  readonly status: number;
  /** The server's `errors` list (empty when the body had none). */
  readonly errors: string[];
  /** `METHOD URL` of the failed request. */
  readonly method: string;
  readonly url: string;
  /** Parsed response body when it was JSON, else the raw text; undefined without a response. */
  readonly body: unknown;

  constructor(init: { status: number; errors: string[]; method: string; url: string; body?: unknown; cause?: string }) {
    super(formatApiErrorMessage(init));
    this.name = 'ApiError';
    this.status = init.status;
    this.errors = init.errors;
    this.method = init.method;
    this.url = init.url;
    this.body = init.body;
  }
}

function formatApiErrorMessage(init: {
  status: number;
  errors: string[];
  method: string;
  url: string;
  body?: unknown;
  cause?: string;
}): string {
  const head = `Error making API request.\n\nURL: ${init.method} ${init.url}\n`;
  if (init.status === 0) return `${head}Code: 0. Connection error: ${init.cause ?? 'unknown error'}`;
  if (init.errors.length > 0) {
    return `${head}Code: ${init.status}. Errors:\n\n${init.errors.map((e) => `* ${e}`).join('\n')}`;
  }
  const raw = typeof init.body === 'string' ? init.body : init.body === undefined ? '' : JSON.stringify(init.body);
  return `${head}Code: ${init.status}. Raw Message:\n\n${raw}`;
}

/** Extracts the `errors` string list from a parsed error body (Vault's `{"errors":[...]}`). */
export function errorsFromBody(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const errs = (body as Record<string, unknown>)['errors'];
  if (!Array.isArray(errs)) return [];
  return errs.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
}
