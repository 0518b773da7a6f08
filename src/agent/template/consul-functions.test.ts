// consul-template's helper functions as templates use them (piped value last), with Go's
// output formats and error texts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJson } from './json-decode.js';
import type { RenderOptions, TemplateDataSource } from './index.js';
import { parseTemplate, renderTemplate } from './index.js';
import { createManualClock } from '../../shared/index.js';

const noSource: TemplateDataSource = { secret: async () => null, list: async () => [] };

const DATA = '{"yaml":"# config\\nname: app\\nport: 8080\\n\\"on\\": yes\\nlist:\\n- a\\n- b: 1\\n  c: x\\n- - d\\n  - e\\nnested:\\n  k: v # trailing\\ntext: |\\n  line1\\n  line2\\nflow: [1, \'two\', {k: v}]\\n","list":["a","b"],"nums":[1,2],"m":{"b":"2","a":"1","n":5432,"f":1.50,"nested":{"x":[1,"two",null],"t":true}},"json":"{\\"k\\":[1,2.5,\\"s\\"]}","csv":" a,b ,c "}';

async function render(text: string, opts: Partial<RenderOptions> = {}): Promise<string> {
  const r = await renderTemplate(parseTemplate(text, { name: 't' }), {
    source: noSource,
    data: decodeJson(DATA, { useNumber: true }),
    ...opts,
  });
  return r.output;
}

interface Case {
  readonly name: string;
  readonly template: string;
  readonly expected: string;
}

const CASES: readonly Case[] = [
  { name: 'toJSON writes compact JSON with sorted keys and HTML-safe escapes', template: '{{ .m | toJSON }}|{{ "<a>&" | toJSON }}', expected: '{"a":"1","b":"2","f":1.50,"n":5432,"nested":{"t":true,"x":[1,"two",null]}}|"\\u003ca\\u003e\\u0026"' },
  { name: 'toJSONPretty indents by two spaces', template: '{{ .m.nested | toJSONPretty }}', expected: '{\n  "t": true,\n  "x": [\n    1,\n    "two",\n    null\n  ]\n}' },
  { name: 'toUnescapedJSON keeps <, > and &', template: '{{ "<a>&" | toUnescapedJSON }}|{{ .list | toUnescapedJSONPretty }}', expected: '"<a>&"|[\n  "a",\n  "b"\n]' },
  { name: 'toYAML writes block YAML with numbers unquoted and ambiguous strings quoted', template: '{{ .m | toYAML }}', expected: 'a: "1"\nb: "2"\nf: 1.5\n"n": 5432\nnested:\n  t: true\n  x:\n  - 1\n  - two\n  - null' },
  { name: 'toYAML uses literal blocks for multi-line strings', template: '{{ "k" | printf "%s" | toYAML }}|{{ toYAML (parseJSON "{\\"s\\":\\"l1\\\\nl2\\\\n\\",\\"e\\":\\"\\",\\"c\\":\\"a: b\\"}") }}', expected: 'k|c: \'a: b\'\ne: ""\ns: |\n  l1\n  l2' },
  { name: 'toTOML writes keys, then tables, json numbers as numbers', template: '{{ parseJSON "{\\"k\\":\\"v\\",\\"t\\":{\\"n\\":[1,2],\\"f\\":2}}" | toTOML }}|{{ .m | toTOML | printf "%.23s" }}', expected: 'k = "v"\n\n[t]\n  f = 2.0\n  n = [1.0, 2.0]|a = "1"\nb = "2"\nf = 1.5' },
  { name: 'toTOML rejects a top-level list', template: '{{ .list | toTOML }}', expected: 'ERROR:error calling toTOML: toTOML: toml: top-level values must be Go maps or structs' },
  { name: 'parseJSON decodes numbers as float64', template: '{{ $j := parseJSON .json }}{{ $j.k }} {{ index $j.k 1 | printf "%T" }}|{{ parseJSON "" }}', expected: '[1 2.5 s] float64|map[]' },
  { name: 'parseJSON reports syntax errors', template: '{{ parseJSON "{x" }}', expected: 'ERROR:error calling parseJSON: invalid character \'x\' looking for beginning of object key string' },
  { name: 'parseYAML decodes block YAML with YAML 1.1 scalars', template: '{{ $y := parseYAML .yaml }}{{ $y.name }}|{{ printf "%T %v" $y.port $y.port }}|{{ $y.on }}|{{ $y.list }}|{{ $y.nested.k }}|{{ $y.text }}|{{ $y.flow }}|{{ printf "%T" $y }}|{{ parseYAML "" }}', expected: 'app|int 8080|true|[a map[b:1 c:x] [d e]]|v|line1\nline2\n|[1 two map[k:v]]|map[interface {}]interface {}|map[]' },
  { name: 'parseYAML maps cannot go to toJSON, as in Go', template: '{{ parseYAML "a: 1" | toJSON }}', expected: 'ERROR:error calling toJSON: toJSON: json: unsupported type: map[interface {}]interface {}' },
  { name: 'parseBool, parseInt, parseUint and parseFloat convert strings', template: '{{ parseBool "true" }} {{ parseBool "" }} {{ parseInt "-42" }} {{ parseInt "42" | printf "%T" }} {{ parseUint "7" | printf "%T" }} {{ parseFloat "1.50" }} {{ parseFloat "1e6" }}', expected: 'true false -42 int64 uint64 1.5 1e+06' },
  { name: 'parseInt reports strconv errors', template: '{{ parseInt "4x" }}', expected: 'ERROR:error calling parseInt: parseInt: strconv.ParseInt: parsing "4x": invalid syntax' },
  { name: 'base64 encodes and decodes with the standard and URL alphabets', template: '{{ "hello?>" | base64Encode }} {{ "aGVsbG8/Pg==" | base64Decode }} {{ "hello?>" | base64URLEncode }} {{ "aGVsbG8_Pg==" | base64URLDecode }}', expected: 'aGVsbG8/Pg== hello?> aGVsbG8_Pg== hello?>' },
  { name: 'base64Decode rejects bad input', template: '{{ "a$b" | base64Decode }}', expected: 'ERROR:error calling base64Decode: base64Decode: illegal base64 data at input byte 1' },
  { name: 'contains and in search lists (needle first) and strings', template: '{{ .list | contains "a" }} {{ .list | contains "z" }} {{ in .list "b" }} {{ "abc" | contains "b" }} {{ .nums | contains 1 }}', expected: 'true false true true false' },
  { name: 'containsAll/Any/None/NotAll take a needle list', template: '{{ $n := parseJSON "[\\"a\\",\\"z\\"]" }}{{ .list | containsAll $n }} {{ .list | containsAny $n }} {{ .list | containsNone $n }} {{ .list | containsNotAll $n }}', expected: 'false true false true' },
  { name: 'split trims the input and returns []string; join joins it', template: '{{ .csv | split "," }} {{ .csv | split "," | len }} {{ "" | split "," | len }} {{ split "," "x,y" | join "+" }}', expected: '[a b  c] 3 0 x+y' },
  { name: 'join requires a []string, as in Go', template: '{{ .list | join "," }}', expected: 'ERROR:wrong type for value; expected []string; got []interface {}' },
  { name: 'splitToMap builds a map from pairs', template: '{{ splitToMap "," "=" "a=1,b=2,bad" }}', expected: 'map[a:1 b:2]' },
  { name: 'replaceAll and the regex functions', template: '{{ "a.b.c" | replaceAll "." "-" }} {{ "v1.2.3" | regexReplaceAll "([0-9]+)\\\\.([0-9]+)" "${2}_$1" }} {{ "abc123" | regexMatch "^[a-z]+[0-9]+$" }}', expected: 'a-b-c v2_1.3 true' },
  { name: 'case and trim helpers', template: '[{{ "MiXed" | toLower }}|{{ "MiXed" | toUpper }}|{{ "hello wORLD-x" | toTitle }}|{{ "  x \\n" | trimSpace }}|{{ "xxhixx" | trim "x" }}|{{ "prefix-v" | trimPrefix "prefix-" }}|{{ "v.txt" | trimSuffix ".txt" }}]', expected: '[mixed|MIXED|Hello WORLD-X|x|hi|v|v]' },
  { name: 'indent prefixes every non-empty line', template: '{{ "a\\nb\\n\\nc" | indent 2 }}', expected: '  a\n  b\n\n  c' },
  { name: 'indent rejects a negative width', template: '{{ "a" | indent -1 }}', expected: 'ERROR:error calling indent: indent value must be a positive integer' },
  { name: 'sha256Hex, md5sum and hmacSHA256Hex hash strings', template: '{{ "abc" | sha256Hex }} {{ "abc" | md5sum }} {{ hmacSHA256Hex "msg" "key" }}', expected: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 900150983cd24fb0d6963f7d28e17f72 2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628' },
  { name: 'math functions take the piped value as the left operand', template: '{{ 2 | add 3 }} {{ 10 | subtract 3 }} {{ 4 | multiply 2.5 }} {{ 7 | divide 2 }} {{ 7.0 | divide 2 }} {{ 7 | modulo 3 }} {{ 3 | minimum 5 }} {{ 3 | maximum 5 }} {{ 2 | add 3 | printf "%T" }}', expected: '5 7 10 3 3.5 1 3 5 int64' },
  { name: 'math on json numbers is an error, as they are strings', template: '{{ .m.n | add 1 }}', expected: 'ERROR:error calling add: add: unknown type for "5432" (json.Number)' },
  { name: 'integer division by zero is an error', template: '{{ 1 | divide 0 }}', expected: 'ERROR:error calling divide: runtime error: integer divide by zero' },
  { name: 'loop yields a counted sequence', template: '{{ range loop 3 }}{{ . }}{{ end }}|{{ range $i := loop 5 8 }}{{ $i }}{{ end }}|{{ range loop .m.a 3 }}{{ . }}{{ end }}', expected: '012|567|12' },
];

describe('consul-template helper functions', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      if (c.expected.startsWith('ERROR:')) {
        await assert.rejects(render(c.template), (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.ok(e.message.endsWith(c.expected.slice('ERROR:'.length)), e.message);
          return true;
        });
        return;
      }
      assert.equal(await render(c.template), c.expected);
    });
  }
});

describe('environment, file and timestamp hooks', () => {
  it('env prefers the runner environment, then the fallback, then ""', async () => {
    const lookupEnv = (n: string): string | undefined => ({ HOME: '/root', SHELL: 'sh' })[n];
    const out = await render('{{ env "HOME" }}|{{ env "SHELL" }}|{{ env "NOPE" }}|{{ envOrDefault "NOPE" "d" }}|{{ envOrDefault "EMPTY" "d" }}', {
      env: { HOME: '/home/app', EMPTY: '' },
      lookupEnv,
    });
    assert.equal(out, '/home/app|sh||d|');
  });

  it('mustEnv fails on an empty variable', async () => {
    await assert.rejects(render('{{ mustEnv "NOPE" }}', { lookupEnv: () => undefined }), /required environment variable NOPE is empty/);
  });

  it('file reads through the injected reader and is reported', async () => {
    const t = parseTemplate('{{ file "/etc/x" | trimSpace }}{{ file "" }}', { name: 't' });
    const r = await renderTemplate(t, { source: noSource, readFile: async (p) => `content of ${p}\n` });
    assert.equal(r.output, 'content of /etc/x');
    assert.deepEqual(r.files, ['/etc/x']);
  });

  it('timestamp formats the injected now with Go layouts', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 27, 6, 5, 9, 120));
    const out = await render('{{ timestamp }}|{{ timestamp "unix" }}|{{ timestamp "2006-01-02 15:04:05.000 Mon Jan _2 3PM MST -0700" }}', { clock });
    assert.equal(out, '2026-11-27T06:05:09Z|1795759509|2026-11-27 06:05:09.120 Fri Nov 27 6AM UTC +0000');
  });

  it('executeTemplate renders a defined template into a string', async () => {
    const out = await render('{{ define "greet" }}hi {{ . }}{{ end }}{{ executeTemplate "greet" "you" | toUpper }}|{{ executeTemplate "greet" }}');
    assert.equal(out, 'HI YOU|hi <no value>');
  });

  it('denied functions fail with "function is disabled"', async () => {
    await assert.rejects(render('{{ env "HOME" }}', { denyFunctions: ['env'] }), /error calling env: function is disabled/);
  });
});

describe('scratch', () => {
  it('stores values per render and calls its methods like Go methods', async () => {
    const out = await render(
      '{{ scratch.Set "a" 1 }}{{ scratch.SetX "a" 2 }}{{ scratch.Get "a" }}|{{ scratch.Key "a" }}{{ scratch.Key "b" }}|' +
        '{{ scratch.MapSet "m" "z" "last" }}{{ scratch.MapSet "m" "a" "first" }}{{ scratch.MapSetX "m" "a" "ignored" }}{{ scratch.MapValues "m" }}|{{ scratch.Get "m" }}',
    );
    assert.equal(out, '1|truefalse|[first last]|map[a:first z:last]');
  });

  it('rejects MapSet on a plain value', async () => {
    await assert.rejects(render('{{ scratch.Set "a" 1 }}{{ scratch.MapSet "a" "k" "v" }}'), /error calling MapSet: scratch: a is not a map/);
  });
});
