// Parse-time failures: Go's messages, located as template name, line and (0-based byte) column.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate, TemplateError } from './index.js';

interface ParseErrorCase {
  readonly name: string;
  readonly template: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

const CASES: readonly ParseErrorCase[] = [
  { name: 'an unknown function', template: 'ok\n  {{ nofunc 1 }}', message: 'function "nofunc" not defined', line: 2, column: 5 },
  { name: 'an if without a condition', template: '{{ if }}', message: 'missing value for if', line: 1, column: 6 },
  { name: 'a missing end', template: '{{ if true }}x', message: 'unexpected EOF', line: 1, column: 14 },
  { name: 'an end without a block', template: 'a\nb {{ end }}', message: 'unexpected {{end}}', line: 2, column: 9 },
  { name: 'an else outside a block', template: '{{ else }}', message: 'unexpected {{else}}', line: 1, column: 8 },
  { name: 'two else branches', template: '{{ if 1 }}{{ else }}{{ else }}{{ end }}', message: 'expected end; found {{else}}', line: 1, column: 28 },
  { name: 'break outside range', template: '{{ range . }}{{ end }}{{ break }}', message: '{{break}} outside {{range}}', line: 1, column: 31 },
  { name: 'continue outside range', template: '{{ continue }}', message: '{{continue}} outside {{range}}', line: 1, column: 12 },
  { name: 'an undefined variable', template: '{{ $y }}', message: 'undefined variable "$y"', line: 1, column: 6 },
  { name: 'a variable used after its block ends', template: '{{ with $x := 1 }}{{ $x }}{{ end }}{{ $x }}', message: 'undefined variable "$x"', line: 1, column: 41 },
  { name: 'an outer variable inside a define', template: '{{ $x := 1 }}{{ define "d" }}{{ $x }}{{ end }}', message: 'undefined variable "$x"', line: 1, column: 35 },
  { name: 'too many range variables', template: '{{ range $a, $b, $c := . }}{{ end }}', message: 'too many declarations in range', line: 1, column: 15 },
  { name: 'a non-executable later pipeline stage', template: '{{ "x" | "y" }}', message: 'non executable command in pipeline stage 2', line: 1, column: 13 },
  { name: 'an unclosed comment', template: '{{/* unclosed', message: 'unclosed comment', line: 1, column: 2 },
  { name: 'a comment not directly before the delimiter', template: '{{ /* bad */ }}', message: 'unexpected "/" in command', line: 1, column: 3 },
  { name: 'an unterminated string', template: '{{ "abc }}', message: 'unterminated quoted string', line: 1, column: 3 },
  { name: 'a malformed character constant', template: "{{ 'ab' }}", message: "malformed character constant: 'ab'", line: 1, column: 3 },
  { name: 'bad number syntax', template: '{{ 3x }}', message: 'bad number syntax: "3x"', line: 1, column: 3 },
  { name: 'a bad character in a field name', template: '{{ .a-b }}', message: "bad character U+002D '-'", line: 1, column: 3 },
  { name: 'an unclosed action', template: '{{ .a ', message: 'unclosed action', line: 1, column: 6 },
  { name: 'an unclosed paren', template: '{{ (.a }}', message: 'unclosed left paren', line: 1, column: 7 },
  { name: 'a field after a literal', template: '{{ nil.x }}', message: 'unexpected . after term "nil"', line: 1, column: 8 },
  { name: 'a duplicate define', template: '{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}', message: 'template: multiple definition of template "a"', line: 1, column: 50 },
  { name: 'an empty action', template: '{{ }}', message: 'missing value for command', line: 1, column: 3 },
  { name: 'an integer literal too large', template: '{{ 99999999999999999999 }}', message: 'integer overflow: "99999999999999999999"', line: 1, column: 3 },
];

describe('parse errors', () => {
  for (const c of CASES) {
    it(`reports ${c.name} with line and column`, () => {
      assert.throws(
        () => parseTemplate(c.template, { name: 'app.ctmpl' }),
        (e: unknown) => {
          assert.ok(e instanceof TemplateError);
          assert.equal(e.kind, 'parse');
          assert.equal(e.code, 'invalid_request');
          assert.equal(e.templateName, 'app.ctmpl');
          assert.equal(e.message, `template: app.ctmpl:${c.line}:${c.column}: ${c.message}`);
          assert.equal(e.line, c.line);
          assert.equal(e.column, c.column);
          return true;
        },
      );
    });
  }

  it('accepts functions the caller declares as extra', () => {
    assert.doesNotThrow(() => parseTemplate('{{ myFunc }}', { name: 't', extraFunctionNames: ['myFunc'] }));
  });

  it('parses every consul-template function name used with Vault', () => {
    const names =
      'secret secrets toJSON toJSONPretty toUnescapedJSON toUnescapedJSONPretty toYAML toTOML base64Encode base64Decode base64URLEncode base64URLDecode env mustEnv envOrDefault file timestamp contains containsAll containsAny containsNone containsNotAll in split splitToMap join replaceAll regexReplaceAll regexMatch toLower toUpper toTitle trim trimSpace trimPrefix trimSuffix parseJSON parseInt parseUint parseFloat parseBool add subtract multiply divide modulo minimum maximum sha256Hex md5sum hmacSHA256Hex loop indent executeTemplate';
    for (const n of names.split(' ')) assert.doesNotThrow(() => parseTemplate(`{{ if false }}{{ ${n} }}{{ end }}`, { name: n }), n);
  });
});
