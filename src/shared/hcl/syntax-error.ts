// HclSyntaxError: a parse failure, reported as `<file>:<line>:<col>: <what was expected>`.
// It is a CofferError (invalid_request) so it surfaces as a 400 wherever user text is parsed.

import { CofferError } from '../errors.js';
import type { HclPos } from './ast.js';

export class HclSyntaxError extends CofferError {
  readonly fileName: string;
  readonly line: number;
  readonly column: number;
  /** The message without the `file:line:col: ` prefix. */
  readonly reason: string;

  constructor(fileName: string, pos: HclPos, reason: string) {
    super('invalid_request', `${fileName}:${pos.line}:${pos.column}: ${reason}`);
    this.name = 'HclSyntaxError';
    this.fileName = fileName;
    this.line = pos.line;
    this.column = pos.column;
    this.reason = reason;
  }
}
