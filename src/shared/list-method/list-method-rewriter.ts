// Per-connection HTTP/1.1 byte-stream rewriter that turns the method `LIST ` into `LINK ` (same
// length, in place) so Node's parser (llhttp), which knows no LIST, accepts Vault's LIST requests.
// It follows request framing so that only request starts are touched, never bodies.

/** Default bound on one request head (request line + headers), and on any chunk-size/trailer line run. */
export const DEFAULT_MAX_HEAD_BYTES = 64 * 1024;

export interface ListRewriter {
  /**
   * Feeds the next bytes read from the connection, in order. Rewrites `LIST ` → `LINK ` in place
   * at request starts (the buffer is mutated; its length never changes).
   */
  process(chunk: Uint8Array): void;
  /**
   * Takes the oldest pending flag: one flag per request whose method reached the parser as LINK,
   * `true` when the client actually sent LIST. `undefined` when none is pending.
   */
  shiftLinkFlag(): boolean | undefined;
  /** True once framing became unparseable (or was upgraded): bytes now pass through untouched. */
  readonly passThrough: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
const SEMI = 0x3b;

const enum State {
  Start, // before a request line, skipping CR/LF like llhttp does
  Head, // inside request line + headers, reading lines
  Body, // Content-Length body
  ChunkSize, // reading a chunk-size line (with optional extensions)
  ChunkData, // inside chunk data
  ChunkDataCr, // expecting CR after chunk data
  ChunkDataLf, // expecting LF after chunk data
  Trailer, // reading trailer lines after the last chunk
  Pass, // unparseable or upgraded: hand bytes through untouched
}

// Bytes of "LIST " and "LINK ": they differ only at index 2 and 3.
const L = 0x4c;
const I = 0x49;
const S = 0x53;
const T = 0x54;
const N = 0x4e;
const K = 0x4b;

const enum Method {
  Unknown, // matching not started / not a candidate
  List,
  Link,
}

function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/** Compares buf[start, start+name.length) case-insensitively with a lowercase ASCII name. */
function nameIs(buf: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    if (lower(buf[start + i]!) !== name.charCodeAt(i)) return false;
  }
  return true;
}

function trimOws(buf: Uint8Array, start: number, end: number): [number, number] {
  while (start < end && (buf[start] === SP || buf[start] === HT)) start++;
  while (end > start && (buf[end - 1] === SP || buf[end - 1] === HT)) end--;
  return [start, end];
}

function ascii(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/** Creates the rewriter for one connection. */
export function createListRewriter(opts: { maxHeadBytes?: number } = {}): ListRewriter {
  const maxHead = opts.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES;
  const flags: boolean[] = [];
  let flagHead = 0;

  let state: State = State.Start;
  // Method matching at a request start.
  let methodPos = 0;
  let method: Method = Method.Unknown;
  // Line assembly across chunks (only used when a line straddles chunks).
  let partial: Uint8Array | undefined;
  let lineBytes = 0; // bytes consumed in the current head / trailer / chunk-size run
  let firstLine = true;
  // Framing facts collected from the head.
  let contentLength = -1;
  let clCount = 0;
  let teValue: string | undefined;
  let upgrade = false;
  let remaining = 0;

  const pass = (): void => {
    state = State.Pass;
    partial = undefined;
  };

  const resetHead = (): void => {
    methodPos = 0;
    method = Method.Unknown;
    lineBytes = 0;
    firstLine = true;
    contentLength = -1;
    clCount = 0;
    teValue = undefined;
    upgrade = false;
  };

  /** Examines one header line buf[start,end) (CRLF excluded). */
  const headerLine = (buf: Uint8Array, start: number, end: number): void => {
    const first = buf[start]!;
    if (first === SP || first === HT) return pass(); // obsolete line folding: llhttp refuses it
    // Only Content-Length, Transfer-Encoding and Upgrade affect framing; skip others unscanned.
    const f = first | 0x20;
    if (f !== 0x63 && f !== 0x74 && f !== 0x75) return;
    const colon = buf.indexOf(COLON, start);
    if (colon < 0 || colon >= end) return pass();
    const len = colon - start;
    // Length check first keeps the name comparison cheap.
    if (len === 14 && nameIs(buf, start, colon, 'content-length')) {
      const [vs, ve] = trimOws(buf, colon + 1, end);
      if (vs === ve || ve - vs > 15) return pass();
      let n = 0;
      for (let i = vs; i < ve; i++) {
        const d = buf[i]! - 0x30;
        if (d < 0 || d > 9) return pass();
        n = n * 10 + d;
      }
      clCount++;
      contentLength = n;
    } else if (len === 17 && nameIs(buf, start, colon, 'transfer-encoding')) {
      const v = ascii(buf, colon + 1, end);
      teValue = teValue === undefined ? v : `${teValue},${v}`;
    } else if (len === 7 && nameIs(buf, start, colon, 'upgrade')) {
      upgrade = true;
    }
  };

  const requestLine = (buf: Uint8Array, start: number, end: number): void => {
    // CONNECT turns the connection into a tunnel after the head.
    if (buf[start] === 0x43 && end - start >= 8 && ascii(buf, start, start + 8) === 'CONNECT ') upgrade = true;
  };

  const endOfHead = (): void => {
    if (upgrade || clCount > 1) return pass();
    if (teValue !== undefined) {
      if (clCount > 0) return pass(); // llhttp rejects CL together with TE
      const tokens = teValue.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
      if (tokens[tokens.length - 1] !== 'chunked') return pass();
      state = State.ChunkSize;
      lineBytes = 0;
      return;
    }
    if (contentLength > 0) {
      remaining = contentLength;
      state = State.Body;
      return;
    }
    state = State.Start;
    resetHead();
  };

  /** Handles one complete line (CR/LF stripped) in the Head, ChunkSize or Trailer state. */
  const line = (buf: Uint8Array, start: number, end: number): void => {
    if (state === State.Head) {
      if (firstLine) {
        firstLine = false;
        requestLine(buf, start, end);
      } else if (start === end) {
        endOfHead();
      } else {
        headerLine(buf, start, end);
      }
    } else if (state === State.ChunkSize) {
      let size = 0;
      let i = start;
      for (; i < end; i++) {
        const c = buf[i]!;
        let d: number;
        if (c >= 0x30 && c <= 0x39) d = c - 0x30;
        else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
        else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
        else break;
        size = size * 16 + d;
      }
      if (i === start || i - start > 12) return pass();
      if (i < end && buf[i] !== SEMI) return pass(); // only extensions may follow the size
      lineBytes = 0;
      if (size === 0) {
        state = State.Trailer;
      } else {
        remaining = size;
        state = State.ChunkData;
      }
    } else {
      // Trailer
      if (start === end) {
        state = State.Start;
        resetHead();
        return;
      }
      const first = buf[start];
      const colon = buf.indexOf(COLON, start);
      if (first === SP || first === HT || colon < 0 || colon >= end) pass();
    }
  };

  /** Reads lines from chunk starting at pos; returns the new position. */
  const readLines = (chunk: Uint8Array, pos: number): number => {
    const len = chunk.length;
    while (pos < len && (state === State.Head || state === State.ChunkSize || state === State.Trailer)) {
      const lf = chunk.indexOf(LF, pos);
      if (lf < 0) {
        lineBytes += len - pos;
        if (lineBytes > maxHead) {
          pass();
          return len;
        }
        partial = partial === undefined ? new Uint8Array(chunk.subarray(pos)) : concat(partial, chunk.subarray(pos));
        return len;
      }
      lineBytes += lf + 1 - pos;
      if (lineBytes > maxHead) {
        pass();
        return len;
      }
      let buf: Uint8Array;
      let start: number;
      let end: number;
      if (partial !== undefined) {
        buf = concat(partial, chunk.subarray(pos, lf));
        partial = undefined;
        start = 0;
        end = buf.length;
      } else {
        buf = chunk;
        start = pos;
        end = lf;
      }
      pos = lf + 1;
      if (end === start || buf[end - 1] !== CR) {
        pass(); // bare LF: llhttp refuses it, so we stop interpreting
        return len;
      }
      line(buf, start, end - 1);
      if ((state as State) === State.Pass) return len;
    }
    return pos;
  };

  /**
   * Matches (and rewrites) the first five bytes of a request line, which may arrive split across
   * chunks; methodPos counts the head bytes seen so far. Returns false if we switched to Pass.
   */
  const matchMethod = (chunk: Uint8Array, pos: number): boolean => {
    const len = chunk.length;
    for (let at = pos; methodPos < 5 && at < len; at++) {
      const c = chunk[at]!;
      let ok: boolean;
      switch (methodPos) {
        case 0:
          ok = c === L;
          break;
        case 1:
          ok = c === I;
          break;
        case 2:
          // Rewrite the S before knowing the rest: a method "LIS…" other than LIST is invalid for
          // llhttp either way, so the speculation can only turn one invalid method into another.
          if (c === S) {
            method = Method.List;
            chunk[at] = N;
            ok = true;
          } else {
            method = Method.Link;
            ok = c === N;
          }
          break;
        case 3:
          ok = method === Method.List ? c === T : c === K;
          if (ok && method === Method.List) chunk[at] = K;
          break;
        default:
          ok = c === SP;
          if (ok) flags.push(method === Method.List);
      }
      if (!ok) {
        if (method === Method.List) {
          pass(); // we already altered an invalid method; the parser will refuse it anyway
          return false;
        }
        methodPos = 5; // neither LIST nor LINK: nothing to do for this head
        return true;
      }
      methodPos++;
    }
    return true;
  };

  const process = (chunk: Uint8Array): void => {
    const len = chunk.length;
    let pos = 0;
    while (pos < len) {
      switch (state) {
        case State.Pass:
          return;
        case State.Start: {
          const c = chunk[pos]!;
          if (c === CR || c === LF) {
            pos++;
            continue;
          }
          state = State.Head;
          methodPos = 0;
          method = Method.Unknown;
          continue;
        }
        case State.Head: {
          if (methodPos < 5 && !matchMethod(chunk, pos)) return;
          pos = readLines(chunk, pos);
          continue;
        }
        case State.Body:
        case State.ChunkData: {
          const take = Math.min(remaining, len - pos);
          remaining -= take;
          pos += take;
          if (remaining === 0) {
            if (state === State.Body) {
              state = State.Start;
              resetHead();
            } else {
              state = State.ChunkDataCr;
            }
          }
          continue;
        }
        case State.ChunkDataCr:
          if (chunk[pos] !== CR) return pass();
          pos++;
          state = State.ChunkDataLf;
          continue;
        case State.ChunkDataLf:
          if (chunk[pos] !== LF) return pass();
          pos++;
          state = State.ChunkSize;
          lineBytes = 0;
          continue;
        default:
          pos = readLines(chunk, pos);
      }
    }
  };

  return {
    process,
    shiftLinkFlag(): boolean | undefined {
      if (flagHead >= flags.length) return undefined;
      const f = flags[flagHead++];
      if (flagHead === flags.length) {
        flags.length = 0;
        flagHead = 0;
      }
      return f;
    },
    get passThrough(): boolean {
      return state === State.Pass;
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
