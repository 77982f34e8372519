import * as assert from 'node:assert/strict';
import { DataOrigin, setEntryOrigin, setOrigin, Templates } from '../../../server/src/gotemplate';
import { marshalGoYaml, unmarshalGoYaml } from '../../../server/src/sources/helm/functions/goYaml';
import { decodeToml, encodeToml } from '../../../server/src/sources/helm/functions/toml';
import { Cluster, helmFunctions } from '../../../server/src/sources/helm/functions';
import { helm, render, table } from './render';

describe('Helm\'s template functions', () => {
  describe('toYaml writes what sigs.k8s.io/yaml writes', () => {
    const cases: [string, unknown, string][] = [
      ['keys sorted, lists flush with their key', { b: [1, 2], a: { y: true, x: null } }, 'a:\n  x: null\n  "y": true\nb:\n- 1\n- 2\n'],
      ['numbers through JSON: float64 integers print as ints (and the key n is quoted: YAML 1.1 reads it as false)', { n: 3, f: 1.5, big: 1e21, small: 1e-7 }, 'big: 1e+21\nf: 1.5\n"n": 3\nsmall: 1e-07\n'],
      ['strings that would read as something else are quoted', { s: ['true', 'yes', 'null', '', '1.0', '0777', '2020-01-01', '1:30', '~', 'plain'] },
        's:\n- "true"\n- "yes"\n- "null"\n- ""\n- "1.0"\n- "0777"\n- "2020-01-01"\n- "1:30"\n- "~"\n- plain\n'],
      ['indicators and special characters force single or double quotes', { s: ['- x', 'a: b', '#x', 'x #y', '*', '@at', ' lead', 'tab\there', 'emoji 😀'] },
        's:\n- \'- x\'\n- \'a: b\'\n- \'#x\'\n- \'x #y\'\n- \'*\'\n- \'@at\'\n- \' lead\'\n- "tab\\there"\n- "emoji \\U0001F600"\n'],
      ['multi-line strings are literal blocks with their chomping', { a: 'x\ny', b: 'x\n', c: 'x\n\n', d: ' x\ny' }, 'a: |-\n  x\n  y\nb: |\n  x\nc: |+\n  x\n\nd: |2-\n   x\n  y\n'],
      ['a line with trailing spaces cannot be a block, so it is double-quoted', { a: 'x \ny' }, 'a: "x \\ny"\n'],
      ['nested lists and maps in lists', { l: [[1, 2], { k: 'v', j: [] }, {}] }, 'l:\n- - 1\n  - 2\n- j: []\n  k: v\n- {}\n'],
      ['go-yaml orders keys naturally: digits by value, letters after other characters', { a10: 1, a9: 2, 'a-b': 3, ab: 4, A: 5 }, 'A: 5\na-b: 3\na9: 2\na10: 1\nab: 4\n'],
      ['long plain strings fold at 80 columns', { description: 'word '.repeat(20).trim() },
        'description: word word word word word word word word word word word word word word\n  word word word word word word\n'],
      ['bigint and []byte', { i: 12345678901234567890n, b: new Uint8Array([104, 105]) }, 'b: aGk=\ni: 12345678901234567890\n'],
    ];
    for (const [title, value, expected] of cases) {
      it(title, () => assert.equal(marshalGoYaml(value), expected));
    }

    it('a map that contains itself is an error, as Go\'s JSON encoder reports it', () => {
      assert.equal(render('{{ $d := dict }}{{ $_ := set $d "self" $d }}[{{ toYaml $d }}]', {}, helm()), '[]');
      assert.throws(() => render('{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ mustToJson $d }}', {}, helm()), /json: unsupported value: encountered a cycle via map\[string\]interface \{\}/);
    });

    it('a top-level string ends the document with `...`, as go-yaml v2 does', () => {
      assert.equal(marshalGoYaml('hello'), 'hello\n...\n');
      assert.equal(marshalGoYaml({}), '{}\n');
    });

    it('toYaml trims the final newline; toYamlPretty indents lists under their key', () => {
      assert.equal(render('{{ toYaml .x }}', { x: { a: [1, 2] } }, helm()), 'a:\n- 1\n- 2');
      assert.equal(render('{{ toYamlPretty .x }}', { x: { a: [1, 2] } }, helm()), 'a:\n  - 1\n  - 2');
      assert.equal(render('{{ toYaml .x }}', { x: NaN }, helm()), '');
      assert.throws(() => render('{{ mustToYaml .x }}', { x: NaN }, helm()), /error calling mustToYaml: error marshaling into JSON: json: unsupported value: NaN/);
    });
  });

  describe('fromYaml reads as sigs.k8s.io/yaml reads: YAML 1.1, then JSON', () => {
    const cases: [string, unknown][] = [
      ['a: 1\nb: yes\nc: 0777\nd: "0777"\ne: 1.0\nf: ~\ng: 2019-01-01\n', { a: 1, b: true, c: 511, d: '0777', e: 1, f: null, g: '2019-01-01' }],
      ['base: &b {p: 1, q: 2}\nderived:\n  <<: *b\n  q: 3\n', { base: { p: 1, q: 2 }, derived: { p: 1, q: 3 } }],
      ['1: one\ntrue: yes\n', { 1: 'one', true: true }],
      ['on: push\ny: 1\n', { true: 1 }],
    ];
    for (const [text, expected] of cases) {
      it(JSON.stringify(text), () => assert.deepEqual(unmarshalGoYaml(text), expected));
    }

    it('errors are returned in the map, as Helm does', () => {
      assert.equal(render('{{ (fromYaml "- a").Error }}', {}, helm()), 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}');
      assert.match(render('{{ (fromYaml "a: [").Error }}', {}, helm()), /^error converting YAML to JSON: yaml: line 1: /);
      assert.equal(render('{{ fromYamlArray "- a\\n- 2" }}', {}, helm()), '[a 2]');
    });

    it('a document nested too deep is refused with a clean error', () => {
      assert.throws(() => unmarshalGoYaml('['.repeat(5000) + ']'.repeat(5000)), /^Error: error converting YAML to JSON: yaml: /);
    });

    it('an alias bomb is refused, not expanded', () => {
      const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
      assert.throws(() => unmarshalGoYaml(levels.join('\n')), /too many nodes/);
    });
  });

  describe('JSON: Helm\'s fromJson and fromJsonArray keep errors in their result', () => table([
    ['{{ (fromJson "[1]").Error }}', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['{{ fromJsonArray "[1, \\"a\\"]" }}', '[1 a]'],
    ['{{ (fromJson "{\\"a\\": {\\"b\\": 2}}").a.b }}', '2'],
    ['{{ dict "k" "<v>" | toJson }}', '{"k":"\\u003cv\\u003e"}'],
  ], {}, helm()));

  describe('TOML as BurntSushi/toml writes and reads it', () => {
    it('writes plain keys first, then tables, indented', () => {
      assert.equal(encodeToml({ b: { y: 1n, x: 'a"b' }, a: 1.5, c: [{ n: 1n }, { n: 2n }], d: [1n, 2n] }),
        'a = 1.5\nd = [1, 2]\n\n[b]\n  x = "a\\"b"\n  y = 1\n\n[[c]]\n  n = 1\n\n[[c]]\n  n = 2\n');
      assert.equal(render('{{ toToml "x" }}', {}, helm()), 'toml: top-level values must be Go maps or structs');
    });

    it('reads tables, arrays of tables, inline tables, dotted keys and the value types', () => {
      assert.deepEqual(decodeToml('a = 1\nb.c = "x"\n[t]\nf = 1.5\ns = \'lit\'\nl = [1, 2,\n  3]\ni = {k = true}\n[[arr]]\nn = 1\n[[arr]]\nn = 2\n'),
        { a: 1n, b: { c: 'x' }, t: { f: 1.5, s: 'lit', l: [1n, 2n, 3n], i: { k: true } }, arr: [{ n: 1n }, { n: 2n }] });
      assert.deepEqual(decodeToml('m = """\nline1\nline2"""\n'), { m: 'line1\nline2' });
    });

    it('a broken document is an error in the map', () => {
      assert.equal(render('{{ (fromToml "one").Error }}', {}, helm()), "toml: line 1: unexpected EOF; expected key separator '='");
      assert.equal(render('{{ (fromToml "a = 1\\na = 2").Error }}', {}, helm()), 'toml: line 2: key "a" has already been defined');
    });
  });

  describe('duration helpers', () => table([
    ['{{ durationSeconds "1h" }}|{{ durationMinutes 90 }}|{{ durationMilliseconds "1.5" }}', '3600|1.5|1500'],
    ['{{ durationRoundTo "1m31s" "1m" }}|{{ durationTruncateTo "1m31s" "1m" }}|{{ mustToDuration "1.5" }}', '2m0s|1m0s|1.5s'],
    ['{{ durationSeconds "soon" }}', '0'],
  ], {}, helm()));

  describe('lookup and getHostByName: no cluster and no DNS while rendering', () => table([
    ['{{ lookup "v1" "Secret" "ns" "name" }}|{{ getHostByName "example.com" }}|', 'map[]||'],
  ], {}, helm()));

  describe('lookup reads the cluster it is given', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'cw==' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'blog' } },
    ];
    const asked: string[] = [];
    const cluster: Cluster = {
      lookup(apiVersion, kind, namespace, name) {
        asked.push([apiVersion, kind, namespace, name].join(' '));
        if (kind === 'Broken') throw new Error('the server could not find the requested resource');
        const found = objects.filter(o => o.kind === kind && (namespace === '' || o.metadata.namespace === namespace));
        return name === '' ? { items: found } : found.find(o => o.metadata.name === name);
      },
    };
    const functions = helmFunctions({ cluster }).functions;

    it('gives the object, a list as items, and an empty map for what is not there', () => {
      asked.length = 0;
      assert.equal(render('{{ (lookup "v1" "Secret" "shop" "db").data.password }}|{{ (lookup "v1" "Secret" "" "").items | len }}|{{ lookup "v1" "Secret" "shop" "cache" }}|{{ if not (lookup "v1" "Secret" "shop" "cache") }}absent{{ end }}', {}, functions),
        'cw==|2|map[]|absent');
      assert.deepEqual(asked, ['v1 Secret shop db', 'v1 Secret  ', 'v1 Secret shop cache', 'v1 Secret shop cache']);
    });

    it('fails the template with what the cluster answers, as Go reports a function\'s error', () => {
      assert.throws(() => render('{{ lookup "v1" "Broken" "" "x" }}', {}, functions),
        { message: 'template: test:1:3: executing "test" at <lookup "v1" "Broken" "" "x">: error calling lookup: the server could not find the requested resource' });
    });
  });

  describe('include, tpl, required and fail', () => {
    const defines = { '_helpers.tpl': '{{- define "name" -}}{{ .Chart.Name | trunc 63 }}{{- end -}}{{- define "loop" -}}{{ include "loop" . }}{{- end -}}' };
    const data = { Chart: { Name: 'mychart' }, Values: { greeting: 'hi {{ .Chart.Name }}', missing: null } };

    it('include returns a defined template\'s output, so it can be piped', () => {
      assert.equal(render('{{ include "name" . | upper }}', data, helm(), defines), 'MYCHART');
    });

    it('include of a template that does not exist names Helm\'s template set', () => {
      assert.throws(() => render('{{ include "nope" . }}', data, helm(), defines), /error calling include: template: no template "nope" associated with template "gotpl"/);
    });

    it('include stops a template that includes itself, with Helm\'s message', () => {
      assert.throws(() => render('{{ include "loop" . }}', data, helm(), defines), /error calling include: rendering template has a nested reference name: loop: unable to execute template$/);
    });

    it('tpl renders a value as a template, with the set\'s defines, and drops <no value>', () => {
      assert.equal(render('{{ tpl .Values.greeting . }}', data, helm(), defines), 'hi mychart');
      assert.equal(render('{{ tpl "{{ include \\"name\\" . }}/{{ .nothing }}" . }}', data, helm(), defines), 'mychart/');
    });

    it('tpl reports the template text it failed on', () => {
      assert.throws(() => render('{{ tpl "{{ fail \\"no\\" }}" . }}', data, helm(), defines), /error calling tpl: error during tpl function execution for "\{\{ fail \\"no\\" \}\}": /);
    });

    it('required and fail mark their message for Helm\'s error report; lint mode lets them pass', () => {
      assert.throws(() => render('{{ required "set foo" .Values.missing }}', data, helm(), defines), /error calling required: HELM\[set foo\]HELM/);
      assert.throws(() => render('{{ required "set foo" "" }}', data, helm(), defines), /HELM\[set foo\]HELM/);
      assert.equal(render('{{ required "set foo" "x" }}', data, helm(), defines), 'x');
      assert.throws(() => render('{{ fail "broken" }}', data, helm(), defines), /error calling fail: HELM\[broken\]HELM/);
      assert.equal(render('a{{ required "set foo" .Values.missing }}{{ fail "broken" }}b', data, helm(true), defines), 'ab');
    });
  });

  describe('the source map follows values through the functions', () => {
    const FILE = '/chart/values.yaml';
    const VALUES = 'image:\n  tag: "1.27"\nsecurityContext:\n  runAsNonRoot: true\n';
    const span = (text: string): DataOrigin => ({ file: FILE, start: VALUES.indexOf(text), end: VALUES.indexOf(text) + text.length });

    function valuesData() {
      const image = { tag: '1.27' };
      setEntryOrigin(image, 'tag', span('tag: "1.27"'));
      const securityContext = { runAsNonRoot: true };
      setEntryOrigin(securityContext, 'runAsNonRoot', span('runAsNonRoot: true'));
      setOrigin(securityContext, span('securityContext:\n  runAsNonRoot: true'));
      const values = { image, securityContext };
      setEntryOrigin(values, 'image', span('image:\n  tag: "1.27"'));
      setEntryOrigin(values, 'securityContext', span('securityContext:\n  runAsNonRoot: true'));
      return { Values: values };
    }

    function traced(template: string) {
      const templates = new Templates({ functions: helm() });
      templates.parse('deployment.yaml', template, '/chart/templates/deployment.yaml');
      return templates.execute('deployment.yaml', valuesData());
    }

    it('{{ .Values.image.tag | quote }} maps to the tag: node', () => {
      const out = traced('image: app:{{ .Values.image.tag | default "latest" | quote }}');
      assert.equal(out.text, 'image: app:"1.27"');
      const value = out.segments.find(s => s.kind === 'value');
      assert.deepEqual(value && { start: value.start, end: value.end, origin: value.origin }, { start: 11, end: 17, origin: span('tag: "1.27"') });
    });

    it('a value passed to include inside a dict keeps its origin', () => {
      const templates = new Templates({ functions: helm() });
      templates.parse('_helpers.tpl', '{{- define "image" -}}app:{{ .tag }}{{- end -}}', '/chart/templates/_helpers.tpl');
      templates.parse('deployment.yaml', 'image: {{ include "image" (dict "tag" .Values.image.tag) }}', '/chart/templates/deployment.yaml');
      const out = templates.execute('deployment.yaml', valuesData());
      assert.equal(out.text, 'image: app:1.27');
      const value = out.segments.find(s => s.kind === 'value');
      assert.deepEqual(value && { start: value.start, end: value.end, origin: value.origin }, { start: 11, end: 15, origin: span('tag: "1.27"') });
    });

    it('{{ toYaml .Values.securityContext | nindent 12 }} maps to the securityContext: node', () => {
      const out = traced('securityContext:{{ toYaml .Values.securityContext | nindent 12 }}');
      assert.equal(out.text, 'securityContext:\n            runAsNonRoot: true');
      const value = out.segments.find(s => s.kind === 'value');
      assert.deepEqual(value && { start: value.start, end: value.end, origin: value.origin }, { start: 16, end: out.text.length, origin: span('securityContext:\n  runAsNonRoot: true') });
    });
  });
});
