// The error every parse or execution failure is reported with, carrying Go's message text
// ("template: name:line:col: …") plus the parts separately for callers that want them.
import { CofferError } from '../../shared/index.js';

export type TemplateErrorKind = 'parse' | 'exec';

export class TemplateError extends CofferError {
  constructor(
    readonly kind: TemplateErrorKind,
    readonly templateName: string,
    readonly line: number,
    /** 0-based byte offset within the line, as Go's text/template reports it. */
    readonly column: number,
    message: string,
  ) {
    super('invalid_request', message);
    this.name = 'TemplateError';
  }
}

/** A Go function returned an error; the evaluator wraps it as "error calling NAME: …". */
export class FuncError extends Error {}

/** Thrown by the evaluator internally and located by the caller (Go's s.errorf). */
export class ExecFailure extends Error {}
