import * as assert from 'node:assert/strict';
import {
  DataOrigin, FunctionFactory, GoFunction, passThrough, Rendered, setEntryOrigin, setOrigin, Templates,
} from '../../../server/src/gotemplate';

// A values file and the data read from it, with the origins a values reader records: each entry's origin is its
// key and value, a map's own origin the same for the key that holds it.
const VALUES_FILE = '/chart/values.yaml';
const VALUES = [
  'image:',
  '  tag: "1.27"',
  'securityContext:',
  '  runAsNonRoot: true',
  '  readOnlyRootFilesystem: false',
  'ports: [80, 443]',
  'greeting: "hi {{ .Values.image.tag }}"',
  '',
].join('\n');

/** The span of `text` in the values file (the n-th occurrence), up to the end of its line or `length` chars. */
function spanOf(text: string, length?: number): DataOrigin {
  const start = VALUES.indexOf(text);
  assert.ok(start >= 0, text);
  return { file: VALUES_FILE, start, end: start + (length ?? text.length) };
}

function valuesData() {
  const image = { tag: '1.27' };
  setEntryOrigin(image, 'tag', spanOf('tag: "1.27"'));
  const securityContext = { runAsNonRoot: true, readOnlyRootFilesystem: false };
  setEntryOrigin(securityContext, 'runAsNonRoot', spanOf('runAsNonRoot: true'));
  setEntryOrigin(securityContext, 'readOnlyRootFilesystem', spanOf('readOnlyRootFilesystem: false'));
  const ports = [80, 443];
  setEntryOrigin(ports, 0, spanOf('80'));
  setEntryOrigin(ports, 1, spanOf('443'));
  const values = { image, securityContext, ports, greeting: 'hi {{ .Values.image.tag }}' };
  setEntryOrigin(values, 'image', spanOf('image:\n  tag: "1.27"'));
  setEntryOrigin(values, 'securityContext', spanOf('securityContext:\n  runAsNonRoot: true\n  readOnlyRootFilesystem: false'));
  setEntryOrigin(values, 'ports', spanOf('ports: [80, 443]'));
  setEntryOrigin(values, 'greeting', spanOf('greeting: "hi {{ .Values.image.tag }}"'));
  setOrigin(securityContext, spanOf('securityContext:\n  runAsNonRoot: true\n  readOnlyRootFilesystem: false'));
  return { Values: values };
}

// Stand-ins for the chart functions, declared pass-through as the real ones are.
const toYaml = passThrough((value: unknown) => Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('\n'), 'derive');
const nindent = passThrough((spaces: unknown, text: unknown) => '\n' + String(text).split('\n').map((line) => ' '.repeat(Number(spaces)) + line).join('\n'), 'nindent');
const quote = passThrough((value: unknown) => JSON.stringify(String(value)), 'derive');
const defaultFn = passThrough((fallback: unknown, given: unknown) => (given === null || given === '' ? fallback : given), 'select');
const chartFunctions: FunctionFactory = (handle) => ({
  toYaml, nindent, quote, default: defaultFn,
  include: ((name: unknown, data: unknown) => handle.execute(String(name), data)) as GoFunction,
  tpl: ((text: unknown, data: unknown) => handle.render(handle.currentTemplate(), String(text), data, handle.argumentOrigin(0))) as GoFunction,
});

const TEMPLATE_FILE = '/chart/templates/deployment.yaml';

function run(template: string, helpers = ''): { rendered: Rendered; template: string } {
  const templates = new Templates({ functions: [chartFunctions], missingKey: 'zero' });
  if (helpers) templates.parse('chart/templates/_helpers.tpl', helpers, '/chart/templates/_helpers.tpl');
  templates.parse('chart/templates/deployment.yaml', template, TEMPLATE_FILE);
  return { rendered: templates.execute('chart/templates/deployment.yaml', valuesData()), template };
}

/** Each segment as `"output text" kind file:start-end "origin text"`. */
function describeSegments({ rendered }: { rendered: Rendered }, files: Record<string, string>): string[] {
  return rendered.segments.map((segment) => {
    const source = files[segment.origin.file].slice(segment.origin.start, segment.origin.end);
    const file = segment.origin.file.split('/').pop();
    return `${JSON.stringify(rendered.text.slice(segment.start, segment.end))} ${segment.kind} ${file}:${segment.origin.start}-${segment.origin.end} ${JSON.stringify(source)}`;
  });
}

describe('gotemplate: source map', () => {
  it('maps `{{ .Values.image.tag }}` to the action and to the tag node of values.yaml', () => {
    const result = run('image: nginx:{{ .Values.image.tag }}\n');
    assert.equal(result.rendered.text, 'image: nginx:1.27\n');
    assert.deepEqual(describeSegments(result, { [TEMPLATE_FILE]: result.template, [VALUES_FILE]: VALUES }), [
      '"image: nginx:" literal deployment.yaml:0-13 "image: nginx:"',
      '"1.27" action deployment.yaml:13-36 "{{ .Values.image.tag }}"',
      '"1.27" value values.yaml:9-20 "tag: \\"1.27\\""',
      '"\\n" literal deployment.yaml:36-37 "\\n"',
    ]);
  });

  it('maps `{{ toYaml .Values.securityContext | nindent 12 }}` to the securityContext node', () => {
    const result = run('securityContext:{{ toYaml .Values.securityContext | nindent 4 }}\n');
    assert.equal(result.rendered.text, 'securityContext:\n    runAsNonRoot: true\n    readOnlyRootFilesystem: false\n');
    assert.deepEqual(describeSegments(result, { [TEMPLATE_FILE]: result.template, [VALUES_FILE]: VALUES }), [
      '"securityContext:" literal deployment.yaml:0-16 "securityContext:"',
      '"\\n    runAsNonRoot: true\\n    readOnlyRootFilesystem: false" action deployment.yaml:16-64 "{{ toYaml .Values.securityContext | nindent 4 }}"',
      '"\\n    runAsNonRoot: true\\n    readOnlyRootFilesystem: false" value values.yaml:21-90 "securityContext:\\n  runAsNonRoot: true\\n  readOnlyRootFilesystem: false"',
      '"\\n" literal deployment.yaml:64-65 "\\n"',
    ]);
  });

  it('keeps the origin through with, range, quote and the value default chose', () => {
    const template = '{{ with .Values.image }}{{ .tag | quote }}{{ end }};{{ range .Values.ports }}{{ . }},{{ end }};{{ default "x" .Values.image.tag }};{{ default "x" .Values.none }}';
    const result = run(template);
    assert.equal(result.rendered.text, '"1.27";80,443,;1.27;x');
    const values = describeSegments(result, { [TEMPLATE_FILE]: template, [VALUES_FILE]: VALUES }).filter((s) => s.includes(' value '));
    assert.deepEqual(values, [
      '"\\"1.27\\"" value values.yaml:9-20 "tag: \\"1.27\\""',
      '"80" value values.yaml:99-101 "80"',
      '"443" value values.yaml:103-106 "443"',
      '"1.27" value values.yaml:9-20 "tag: \\"1.27\\""',
    ]);
  });

  it('maps the text of an include to the helper it came from, moved by nindent', () => {
    const helpers = '{{- define "labels" -}}\napp: web\ntag: {{ .Values.image.tag }}\n{{- end }}';
    const template = 'labels:{{ include "labels" . | nindent 2 }}';
    const result = run(template, helpers);
    assert.equal(result.rendered.text, 'labels:\n  app: web\n  tag: 1.27');
    assert.deepEqual(describeSegments(result, { [TEMPLATE_FILE]: template, [VALUES_FILE]: VALUES, '/chart/templates/_helpers.tpl': helpers }), [
      '"labels:" literal deployment.yaml:0-7 "labels:"',
      '"\\n  app: web\\n  tag: 1.27" action deployment.yaml:7-43 "{{ include \\"labels\\" . | nindent 2 }}"',
      '"app: web\\n  tag: " literal _helpers.tpl:24-38 "app: web\\ntag: "',
      '"1.27" action _helpers.tpl:38-61 "{{ .Values.image.tag }}"',
      '"1.27" value values.yaml:9-20 "tag: \\"1.27\\""',
    ]);
  });

  it('maps the text tpl renders to the value that held it', () => {
    const template = 'msg: {{ tpl .Values.greeting . }}';
    const result = run(template);
    assert.equal(result.rendered.text, 'msg: hi 1.27');
    assert.deepEqual(describeSegments(result, { [TEMPLATE_FILE]: template, [VALUES_FILE]: VALUES }), [
      '"msg: " literal deployment.yaml:0-5 "msg: "',
      '"hi 1.27" action deployment.yaml:5-33 "{{ tpl .Values.greeting . }}"',
      // The text and the actions of the rendered value all come from its node in values.yaml.
      '"hi " value values.yaml:108-146 "greeting: \\"hi {{ .Values.image.tag }}\\""',
      '"1.27" action values.yaml:108-146 "greeting: \\"hi {{ .Values.image.tag }}\\""',
      '"1.27" value values.yaml:9-20 "tag: \\"1.27\\""',
    ]);
  });

  it('produces the same text without the source map, and no segments', () => {
    const templates = new Templates({ functions: [chartFunctions] });
    templates.parse('t', 'a{{ .Values.image.tag }}b', '/t');
    const rendered = templates.execute('t', valuesData(), { sourceMap: false });
    assert.deepEqual(rendered, { text: 'a1.27b', segments: [] });
  });
});
