// Builds the argv that starts the server under test from a command template, so a stand-in can
// replace Coffer (`--target-cmd`) without changing anything else in the harness.

/** The default target: Coffer's own dev server. */
export const DEFAULT_TARGET_COMMAND = 'node {repo}/bin/coffer';

/** Appended when a template does not place {port} itself. */
export const DEV_SERVER_ARGS = 'server -dev -dev-root-token-id={token} -dev-listen-address=127.0.0.1:{port}';

export interface TargetCommandValues {
  readonly repo: string;
  readonly token: string;
  readonly port: number;
  /** Substituted for a leading `node`, so the target runs on the same Node as the harness. */
  readonly nodePath: string;
}

export interface Command {
  readonly file: string;
  readonly args: readonly string[];
}

/** Splits a command line on whitespace, honouring '…' and "…" quoting (no escapes, no globbing). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of line) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote !== null) throw new Error(`unterminated ${quote} in target command: ${line}`);
  if (inWord) words.push(current);
  return words;
}

/**
 * Expands {repo}, {token} and {port} in the template (appending the dev-server arguments when the
 * template has no {port}) and splits it into a file and arguments; the file is spawned directly,
 * not through a shell, so the child's pid is the server whose memory the harness samples.
 */
export function buildTargetCommand(template: string, values: TargetCommandValues): Command {
  if (template.trim() === '') throw new Error('the target command is empty');
  const full = template.includes('{port}') ? template : `${template} ${DEV_SERVER_ARGS}`;
  const words = splitCommandLine(full).map((w) =>
    w.replaceAll('{repo}', values.repo).replaceAll('{token}', values.token).replaceAll('{port}', String(values.port)),
  );
  const [file, ...args] = words;
  if (file === undefined) throw new Error('the target command is empty');
  return { file: file === 'node' ? values.nodePath : file, args };
}
