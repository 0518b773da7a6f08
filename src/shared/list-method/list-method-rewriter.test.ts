// Unit tests of the LIST → LINK byte-stream rewriter: framing, split points, and pass-through.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createListRewriter } from './list-method-rewriter.js';

/** Feeds `input` split at the given offsets; returns the rewritten bytes and the flags drained. */
function run(input: string, splits: readonly number[] = [], maxHeadBytes?: number) {
  const rw = createListRewriter(maxHeadBytes === undefined ? {} : { maxHeadBytes });
  const bytes = Buffer.from(input, 'latin1');
  const out: Buffer[] = [];
  let prev = 0;
  for (const at of [...splits, bytes.length]) {
    const piece = Buffer.from(bytes.subarray(prev, at)); // a fresh buffer, like a socket read
    rw.process(piece);
    out.push(piece);
    prev = at;
  }
  const flags: boolean[] = [];
  for (let f = rw.shiftLinkFlag(); f !== undefined; f = rw.shiftLinkFlag()) flags.push(f);
  return { text: Buffer.concat(out).toString('latin1'), flags, passThrough: rw.passThrough };
}

const GET = 'GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n';
const LIST1 = 'LIST /v1/secret/ HTTP/1.1\r\nHost: x\r\nX-Vault-Token: t\r\n\r\n';
const POST_BODY = '{"v":"LIST /x HTTP/1.1\\r\\n"}';
const POST = `POST /v1/secret/a HTTP/1.1\r\nHost: x\r\ncontent-LENGTH: ${POST_BODY.length}\r\n\r\n${POST_BODY}`;
const BODY_STARTING_WITH_LIST = 'LIST /y HTTP/1.1\r\n\r\n';
const POST2 = `POST /b HTTP/1.1\r\nContent-Length: ${BODY_STARTING_WITH_LIST.length}\r\n\r\n${BODY_STARTING_WITH_LIST}`;
const PUT_CHUNKED =
  'PUT /v1/secret/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '5;ext="a;b"\r\nLIST \r\n' +
  'A\r\n\r\nLIST /z \r\n' +
  '0\r\nX-Trailer: LIST /t\r\n\r\n';
const LINK = 'LINK /v1/l HTTP/1.1\r\nHost: x\r\n\r\n';
const LIST2 = '\r\n\r\nLIST /v1/auth/token/accessors HTTP/1.1\r\nHost: x\r\n\r\n';

const SEQUENCE = [GET, LIST1, POST, POST2, PUT_CHUNKED, LINK, LIST2].join('');
const EXPECTED = [GET, LIST1.replace('LIST', 'LINK'), POST, POST2, PUT_CHUNKED, LINK, LIST2.replace('LIST', 'LINK')].join('');

describe('createListRewriter', () => {
  it('rewrites LIST at request starts only, never inside bodies, chunks or trailers', () => {
    const r = run(SEQUENCE);
    assert.equal(r.text, EXPECTED);
    assert.deepEqual(r.flags, [true, false, true]);
    assert.equal(r.passThrough, false);
  });

  it('gives the same result for every single split point', () => {
    for (let i = 0; i <= SEQUENCE.length; i++) {
      const r = run(SEQUENCE, [i]);
      assert.equal(r.text, EXPECTED, `split at ${i}`);
      assert.deepEqual(r.flags, [true, false, true], `split at ${i}`);
    }
  });

  it('gives the same result for every pair of split points in a short stream', () => {
    const seq = LIST1 + PUT_CHUNKED.replace('Host: x\r\n', '') + LIST2;
    const exp = LIST1.replace('LIST', 'LINK') + PUT_CHUNKED.replace('Host: x\r\n', '') + LIST2.replace('LIST', 'LINK');
    for (let i = 0; i <= seq.length; i++) {
      for (let j = i; j <= seq.length; j++) {
        const r = run(seq, [i, j]);
        if (r.text !== exp) assert.equal(r.text, exp, `splits ${i},${j}`);
        assert.deepEqual(r.flags, [true, true], `splits ${i},${j}`);
      }
    }
  });

  it('gives the same result when fed one byte at a time', () => {
    const splits = Array.from({ length: SEQUENCE.length - 1 }, (_, i) => i + 1);
    const r = run(SEQUENCE, splits);
    assert.equal(r.text, EXPECTED);
    assert.deepEqual(r.flags, [true, false, true]);
  });

  it('records a false flag for a genuine LINK and nothing for other methods', () => {
    assert.deepEqual(run(LINK + GET + POST).flags, [false]);
  });

  it('skips a zero-length Content-Length body', () => {
    const r = run('POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n' + LIST1);
    assert.deepEqual(r.flags, [true]);
    assert.ok(r.text.includes('LINK /v1/secret/'));
  });

  it('accepts optional whitespace around a Content-Length value', () => {
    const r = run('POST /a HTTP/1.1\r\nContent-Length:  5 \r\n\r\nLIST ' + LIST1);
    assert.equal(r.text, 'POST /a HTTP/1.1\r\nContent-Length:  5 \r\n\r\nLIST ' + LIST1.replace('LIST', 'LINK'));
  });

  it('treats the last Transfer-Encoding token chunked as chunked framing', () => {
    const body = '5\r\nLIST \r\n0\r\n\r\n';
    const r = run('POST /a HTTP/1.1\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n' + body + LIST1);
    assert.ok(r.text.includes('\r\nLIST \r\n'));
    assert.deepEqual(r.flags, [true]);
  });

  describe('stops rewriting (and lets the parser answer 400) when framing is unparseable', () => {
    const cases: Record<string, string> = {
      'Content-Length together with Transfer-Encoding':
        'POST /a HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'Transfer-Encoding whose last token is not chunked': 'POST /a HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
      'two Content-Length headers': 'POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na',
      'a non-numeric Content-Length': 'POST /a HTTP/1.1\r\nContent-Length: +1\r\n\r\na',
      'a bare LF line ending': 'GET /a HTTP/1.1\nHost: x\r\n\r\n',
      'obsolete header folding': 'GET /a HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n',
      'a header line without a colon': 'GET /a HTTP/1.1\r\ncontent-nonsense\r\n\r\n',
      'a chunk size followed by junk': 'POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n',
      'a chunk size that is not hex': 'POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'chunk data not followed by CRLF': 'POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n',
      'a method that starts like LIST but is not': 'LISTEN /a HTTP/1.1\r\n\r\n',
      'an Upgrade request (the rest is not HTTP)': 'GET /a HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n',
      'a CONNECT request (the rest is a tunnel)': 'CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n',
    };
    for (const [name, prefix] of Object.entries(cases)) {
      it(name, () => {
        const r = run(prefix + LIST1);
        assert.equal(r.passThrough, true);
        assert.ok(r.text.endsWith(LIST1), 'later LIST left alone');
        assert.deepEqual(r.flags, []);
      });
    }
  });

  it('stops rewriting when a request head exceeds the bound, across chunks too', () => {
    const big = 'GET /a HTTP/1.1\r\nX-Big: ' + 'a'.repeat(200) + '\r\n\r\n';
    for (const splits of [[], [10], [10, 100, 150]]) {
      const r = run(big + LIST1, splits, 128);
      assert.equal(r.passThrough, true);
      assert.ok(r.text.endsWith(LIST1));
    }
    assert.equal(run(big + LIST1, [], 1024).passThrough, false);
  });

  it('leaves lowercase "list" alone (methods are case-sensitive)', () => {
    const r = run('list /a HTTP/1.1\r\n\r\n');
    assert.equal(r.text, 'list /a HTTP/1.1\r\n\r\n');
    assert.deepEqual(r.flags, []);
  });

  it('keeps pending flags in FIFO order across interleaved reads', () => {
    const rw = createListRewriter();
    rw.process(Buffer.from(LIST1 + LINK));
    assert.equal(rw.shiftLinkFlag(), true);
    rw.process(Buffer.from(LIST2));
    assert.equal(rw.shiftLinkFlag(), false);
    assert.equal(rw.shiftLinkFlag(), true);
    assert.equal(rw.shiftLinkFlag(), undefined);
  });
});
