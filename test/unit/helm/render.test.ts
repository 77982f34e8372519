import * as assert from 'node:assert/strict';
import { gunzip } from '../../../server/src/diskFileSystem';
import { innermostSegment, RenderedDocument } from '../../../server/src/sources/origin';
import { helmFunctions } from '../../../server/src/sources/helm/functions';
import { renderChart, RenderChartOptions, SegmentIndex } from '../../../server/src/sources/helm/render';
import { TextSegment } from '../../../server/src/gotemplate';
import { memoryFileSystem } from './memoryFileSystem';

const VALUES = `image:
  repository: nginx
  tag: latest
securityContext:
  runAsUser: 1000
  readOnlyRootFilesystem: false
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
`;

function chart(files: Record<string, string> = {}) {
  return memoryFileSystem({
    '/c/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    '/c/values.yaml': VALUES,
    '/c/templates/deployment.yaml': DEPLOYMENT,
    '/c/templates/NOTES.txt': 'Thanks for installing {{ .Chart.Name }}.',
    '/c/templates/_helpers.tpl': '{{- define "web.name" -}}web{{- end }}',
    ...files,
  });
}

function render(fs = chart(), options: RenderChartOptions = {}) {
  return renderChart('/c', fs, helmFunctions(), { gunzip, ...options });
}

/** The text of the origin of the innermost segment around `needle` in the document, and that origin's kind. */
function originOf(document: RenderedDocument, needle: string, fs = chart()): [string, string] {
  const at = document.text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is rendered`);
  const segment = innermostSegment(document.segments, at, at + needle.length)!;
  const origin = segment.origins[segment.origins.length - 1];
  return [origin.kind, fs.readFile(origin.span.file)!.slice(origin.span.start, origin.span.end)];
}

describe('Helm chart rendering', () => {
  it('prints what helm template prints: one # Source document per manifest, NOTES.txt and partials left out', () => {
    const result = render();
    assert.equal(result.error, undefined);
    assert.equal(result.manifest, `---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: release-name-web
spec:
  template:
    spec:
      containers:
        - name: web
          image: "nginx:latest"
          securityContext:
            readOnlyRootFilesystem: false
            runAsUser: 1000
`);
    assert.deepEqual(result.documents.map(d => d.producedBy), ['web/templates/deployment.yaml']);
    assert.deepEqual(result.filesRead.sort(), ['/c/Chart.yaml', '/c/templates/NOTES.txt', '/c/templates/_helpers.tpl', '/c/templates/deployment.yaml', '/c/values.yaml']);
  });

  it('maps a value printed by an action to its entry in values.yaml', () => {
    const [document] = render().documents;
    assert.deepEqual(originOf(document, 'latest'), ['value', 'tag: latest']);
    assert.deepEqual(originOf(document, 'nginx'), ['value', 'repository: nginx']);
  });

  it('maps a block written by toYaml | nindent to the values.yaml key it came from', () => {
    const [document] = render().documents;
    const [kind, text] = originOf(document, 'readOnlyRootFilesystem: false');
    assert.equal(kind, 'value');
    assert.equal(text, 'securityContext:\n  runAsUser: 1000\n  readOnlyRootFilesystem: false');
  });

  it('maps template text to the template, and a --set value to its argument', () => {
    const result = render(chart(), { set: [{ argument: 'image.tag=1.27' }] });
    const [document] = result.documents;
    // Template text is copied as written, so an offset inside it maps to the same offset in the template.
    const kindAt = document.text.indexOf('kind: Deployment');
    const literal = innermostSegment(document.segments, kindAt, kindAt + 16)!;
    const [origin] = literal.origins;
    assert.equal(origin.kind, 'literal');
    const inTemplate = origin.span.start + (kindAt - literal.start);
    assert.equal(DEPLOYMENT.slice(inTemplate, inTemplate + 16), 'kind: Deployment');
    const at = document.text.indexOf('1.27');
    const segment = innermostSegment(document.segments, at, at + 4)!;
    assert.deepEqual(segment.origins.map(o => [o.kind, o.span.file]), [['value', '--set']]);
    assert.equal('image.tag=1.27'.slice(segment.origins[0].span.start, segment.origins[0].span.end), 'tag=1.27');
  });

  it('reports a template parse error at its file, with Helm\'s message', () => {
    const result = render(chart({ '/c/templates/bad.yaml': 'a: {{ .Values.x }\n' }));
    assert.match(result.error!, /^parse error at \(web\/templates\/bad.yaml:1\): /);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].span?.file, '/c/templates/bad.yaml');
    assert.equal(result.manifest, '');
  });

  it('reports a missing required value as Helm does, at the action', () => {
    const result = render(chart({ '/c/templates/cm.yaml': 'kind: ConfigMap\ndata:\n  x: {{ required "x is required" .Values.x }}\n' }));
    assert.equal(result.error, 'execution error at (web/templates/cm.yaml:3:8): x is required');
    const span = result.problems[0].span!;
    assert.equal(span.file, '/c/templates/cm.yaml');
  });

  it('checks values against values.schema.json and points at the value', () => {
    const schema = JSON.stringify({ type: 'object', properties: { image: { type: 'object', properties: { tag: { type: 'string', pattern: '^[0-9]' } } } } });
    const result = render(chart({ '/c/values.schema.json': schema }));
    assert.equal(result.error, "values don't meet the specifications of the schema(s) in the following chart(s):\nweb:\n- at '/image/tag': 'latest' does not match pattern '^[0-9]'\n");
    const span = result.problems[0].span!;
    assert.equal(VALUES.slice(span.start, span.end), 'tag: latest');
  });

  it('orders manifests by kind, keeps hooks last, and leaves out test hooks when asked', () => {
    const fs = chart({
      '/c/templates/deployment.yaml': 'kind: Deployment\nmetadata:\n  name: d\n',
      '/c/templates/sa.yaml': 'kind: ServiceAccount\nmetadata:\n  name: s\n',
      '/c/templates/test.yaml': 'kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n',
    });
    assert.equal(render(fs).manifest, '---\n# Source: web/templates/sa.yaml\nkind: ServiceAccount\nmetadata:\n  name: s\n\n---\n# Source: web/templates/deployment.yaml\nkind: Deployment\nmetadata:\n  name: d\n---\n# Source: web/templates/test.yaml\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n\n');
    assert.doesNotMatch(render(fs, { skipTests: true }).manifest, /test.yaml/);
    assert.equal(render(fs, { showOnly: ['templates/sa.yaml'] }).manifest, '---\n# Source: web/templates/sa.yaml\nkind: ServiceAccount\nmetadata:\n  name: s\n\n\n');
  });

  it('stops a template that includes itself forever with a clear error, and renders nothing', () => {
    const result = render(chart({ '/c/templates/_loop.tpl': '{{ define "loop" }}{{ include "loop" . }}{{ end }}', '/c/templates/x.yaml': '{{ include "loop" . }}' }));
    assert.ok(result.error);
    assert.match(result.error!, /web\/templates\/x.yaml/);
    assert.equal(result.documents.length, 0);
  });

  it('refuses a chart whose kubeVersion excludes the Kubernetes version rendered for', () => {
    const fs = chart({ '/c/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nkubeVersion: ">=1.33.0-0"\n' });
    assert.equal(render(fs).error, 'chart requires kubeVersion: >=1.33.0-0 which is incompatible with Kubernetes v1.32.0');
    assert.equal(render(fs, { kubeVersion: '1.34.1' }).error, undefined);
  });

  it('reads kubeVersion as Helm does: a provider build (a prerelease) meets only a constraint that names a prerelease', () => {
    const plain = chart({ '/c/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nkubeVersion: ">=1.20.0"\n' });
    assert.equal(render(plain, { kubeVersion: 'v1.32.0-eks-1' }).error, 'chart requires kubeVersion: >=1.20.0 which is incompatible with Kubernetes v1.32.0-eks-1');
    const withPrerelease = chart({ '/c/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nkubeVersion: ">=1.20.0-0"\n' });
    assert.equal(render(withPrerelease, { kubeVersion: 'v1.32.0-eks-1' }).error, undefined);
  });

  it('refuses a library chart and a chart whose dependencies are missing', () => {
    assert.equal(render(chart({ '/c/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\ntype: library\n' })).error, 'library charts are not installable');
    assert.equal(render(chart({ '/c/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: db\n  version: 1.0.0\n' })).error,
      'found in Chart.yaml, but missing in charts/ directory: db');
  });
});

describe('SegmentIndex', () => {
  it('finds the segments that meet a range as a walk of them all does, nested, touching, empty or tied', () => {
    // A small generator, seeded, so that a failure repeats.
    let seed = 7;
    const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let round = 0; round < 200; round++) {
      const segments: TextSegment[] = [];
      let at = 0;
      for (let i = 0; i < 1 + next(30); i++) {
        at += next(4);
        const length = next(3) === 0 ? next(40) : next(6);
        segments.push({ start: at, end: at + length, kind: (['literal', 'action', 'value'] as const)[next(3)], origin: { file: `f${i}`, start: 0, end: 0 } });
        // Now and then a segment inside the one before it, as an include's parts sit inside its output.
        if (next(3) === 0 && length > 1) segments.push({ start: at + 1, end: at + 1 + next(length), kind: 'literal', origin: { file: `g${i}`, start: 0, end: 0 } });
      }
      const index = new SegmentIndex(segments);
      for (let probe = 0; probe < 20; probe++) {
        const start = next(at + 10);
        const end = start + next(12);
        const walked = segments.filter(s => s.end > start && s.start < end);
        const order = (list: TextSegment[]) => list.map(s => s.origin.file).sort();
        assert.deepEqual(order(index.meeting(start, end)), order(walked), `round ${round}: [${start}, ${end})`);
      }
    }
  });

  it('maps each document that a range prints to its own values, with its include\'s parts', () => {
    const values = 'apps:\n  - name: a\n    image: nginx:1.26\n  - name: b\n    image: nginx:1.27\n  - name: c\n    image: nginx:1.28\n';
    const template = '{{- range .Values.apps }}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .name }}\n  labels:\n    {{- include "web.labels" . | nindent 4 }}\n'
      + 'spec:\n  containers:\n    - name: {{ .name }}\n      image: {{ .image }}\n{{- end }}\n';
    const fs = chart({
      '/c/values.yaml': values,
      '/c/templates/deployment.yaml': template,
      '/c/templates/_helpers.tpl': '{{- define "web.labels" -}}\napp: {{ .name }}\n{{- end }}',
    });
    const result = render(fs);
    assert.equal(result.error, undefined);
    assert.deepEqual(result.documents.map(d => /name: (\w+)/.exec(d.text)![1]), ['a', 'b', 'c']);
    for (const [i, document] of result.documents.entries()) {
      const name = 'abc'[i];
      assert.deepEqual(originOf(document, `image: nginx:1.2${6 + i}`.slice(7), fs), ['value', `image: nginx:1.2${6 + i}`]);
      // The include's own text maps to the helper, its value to the app's entry.
      assert.deepEqual(originOf(document, 'app:', fs), ['literal', 'app: ']);
      assert.deepEqual(originOf(document, `app: ${name}`, fs)[0], 'generated');
      // The template's text, clipped to the document: the `---` before it is not in it.
      assert.deepEqual(originOf(document, 'kind: Pod', fs), ['literal', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ']);
      // No segment reaches outside its document.
      assert.ok(document.segments.every(s => s.start >= 0 && s.end <= document.text.length && s.start <= s.end));
    }
  });
});
