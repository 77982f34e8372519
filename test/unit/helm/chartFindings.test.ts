// Findings of a rendered chart placed in its templates and values files, and their fixes made there: the test
// chart (test/fixtures/helm/shop) has a scaffold-like Deployment whose securityContext, volumes and
// volumeMounts come from values, a template that writes a securityContext as literal text, a container with
// none, a `_helpers.tpl`, and a subchart whose values set readOnlyRootFilesystem: false.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, AnalyzeOptions } from '../../../server/src/engine';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';
import { sourceFixes } from '../../../server/src/sources/fixProjection';
import { renderChartSource } from '../../../server/src/sources/helm/chartSource';
import { findingsOfRendering, SourceFinding } from '../../../server/src/sources/sourceFindings';
import { SourceTexts } from '../../../server/src/sources/sourceTexts';
import { yaml } from '../../helpers';
import { memoryFileSystem } from './memoryFileSystem';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'helm', 'shop');

/** The VS Code suite's chart, shaped like the `helm create` scaffold. */
const SCAFFOLD_LIKE = join(__dirname, '..', '..', '..', '..', 'test', 'vscode', 'workspace', 'chart');

/** A chart's files under /shop, as texts a test may change (the test chart unless told). */
function shopFiles(chart = FIXTURE): Record<string, string> {
  const files: Record<string, string> = {};
  const read = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) read(path, `${prefix}/${name}`); else files[`${prefix}/${name}`] = readFileSync(path, 'utf8');
    }
  };
  read(chart, '/shop');
  return files;
}

function lint(files: Record<string, string>, options: AnalyzeOptions = {}): { findings: SourceFinding[]; sources: SourceTexts } {
  const fs = memoryFileSystem(files);
  const sources = new SourceTexts(fs);
  const { rendering } = renderChartSource('/shop', fs);
  assert.deepEqual(rendering.problems, []);
  return { findings: findingsOfRendering(rendering, sources, options), sources };
}

const where = (f: SourceFinding) => `${f.file.slice('/shop/'.length)}:${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.rule} ${f.container}`;

describe('chart findings in templates and values files', () => {
  it('places each finding where the user changes it', () => {
    assert.deepEqual(lint(shopFiles()).findings.map(where), [
      // securityContext: {} read through `with .Values.securityContext` + `toYaml .`: on the key in values.yaml.
      'values.yaml:5:1-5:16 readonly-root-filesystem web',
      'values.yaml:5:1-5:16 run-as-root web',
      'values.yaml:5:1-5:16 privilege-escalation web',
      'values.yaml:5:1-5:16 capabilities web',
      // A value at fault where it was written: the tag of `{{ .Values.image.repository }}:{{ .Values.image.tag }}`.
      'values.yaml:3:3-3:16 mutable-image-reference web',
      // A literal securityContext: the missing field on its template line, the value at fault on itself.
      'templates/worker.yaml:11:11-11:27 privilege-escalation worker',
      'templates/worker.yaml:13:37-13:42 readonly-root-filesystem worker',
      // No block at all: on the container's item.
      'templates/worker.yaml:16:11-16:24 readonly-root-filesystem sidecar',
      'templates/worker.yaml:16:11-16:24 run-as-root sidecar',
      'templates/worker.yaml:16:11-16:24 privilege-escalation sidecar',
      'templates/worker.yaml:16:11-16:24 capabilities sidecar',
      // A subchart's value at fault, in the subchart's values.yaml.
      'charts/cache/values.yaml:3:3-3:32 readonly-root-filesystem cache',
    ]);
  });

  it('analyses the rendering without fixes, and makes a finding\'s fixes when they are asked for', () => {
    const { findings, sources } = lint(shopFiles());
    const [finding] = findings;
    const rendered = finding.renderedFrom[0].finding;
    assert.equal(rendered.fixes, undefined);
    // The rendered securityContext is empty: the fix sets the whole block, and mounts nginx's write paths.
    assert.deepEqual(rendered.plannedChanges, [
      { path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext'], kind: 'set', value: { readOnlyRootFilesystem: true } },
      { path: ['spec', 'template', 'spec', 'containers', 0, 'volumeMounts'], kind: 'set', value: [{ name: 'var-cache-nginx', mountPath: '/var/cache/nginx' }, { name: 'var-run', mountPath: '/var/run' }] },
      { path: ['spec', 'template', 'spec', 'volumes'], kind: 'set', value: [{ name: 'var-cache-nginx', emptyDir: {} }, { name: 'var-run', emptyDir: {} }] },
    ]);
    assert.deepEqual(sourceFixes(finding, sources).map(fix => `${fix.title}${fix.isPreferred ? ' (preferred)' : ''}`), [
      'Set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/cache/nginx, /var/run (preferred)',
      'Set readOnlyRootFilesystem: true',
    ]);
  });

  it('names the template line of a finding placed in values.yaml, and the rendered resource', () => {
    const [finding] = lint(shopFiles()).findings;
    assert.deepEqual(finding.locations.map(l => `${l.file}:${l.range.start.line + 1}:${l.range.start.character + 1} ${l.message}`), [
      '/shop/templates/deployment.yaml:9:11 Written in shop/templates/deployment.yaml.',
      '/shop/Chart.yaml:1:1 Rendered by chart shop as Deployment release-name-shop.',
    ]);
  });

  it('uncomments the commented field under securityContext: {} and writes the write paths into volumes and volumeMounts', () => {
    const files = shopFiles();
    const { findings, sources } = lint(files);
    const readOnly = findings.find(f => f.rule === 'readonly-root-filesystem' && f.container === 'web')!;
    const [preferred] = sourceFixes(readOnly, sources);
    assert.equal(preferred.isPreferred, true);
    assert.deepEqual(preferred.changes.map(c => c.file), ['/shop/values.yaml']);
    assert.equal(applyTextEdits(files['/shop/values.yaml'], preferred.changes[0].edits), yaml`
      image:
        repository: nginx
        tag: "1.27.0"

      securityContext:
        # capabilities:
        #   drop:
        #   - ALL
        readOnlyRootFilesystem: true
        # runAsNonRoot: true

      volumes:
        - name: var-cache-nginx
          emptyDir: {}
        - name: var-run
          emptyDir: {}

      volumeMounts:
        - name: var-cache-nginx
          mountPath: /var/cache/nginx
        - name: var-run
          mountPath: /var/run

      worker:
        image: registry.example.com/worker@sha256:4d5c2f0e6b1a9c8d7e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d
    `);
  });

  it('writes a field missing from a literal block, and a container without one, in the template', () => {
    const files = shopFiles();
    const { findings, sources } = lint(files);
    const texts = findings.filter(f => f.file.endsWith('worker.yaml') && f.rule === 'privilege-escalation').map(f => {
      const [change] = sourceFixes(f, sources)[0].changes;
      return applyTextEdits(files[change.file], change.edits).split('\n').slice(8, 20).join('\n');
    });
    assert.deepEqual(texts, [
      yaml`
        - name: worker
          image: {{ .Values.worker.image }}
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: false
            capabilities:
              drop: [ALL]
        - name: sidecar
          image: registry.example.com/sidecar@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9
      `.replace(/^(?=.)/gm, '        '),
      yaml`
        - name: worker
          image: {{ .Values.worker.image }}
          securityContext:
            runAsNonRoot: true
            readOnlyRootFilesystem: false
            capabilities:
              drop: [ALL]
        - name: sidecar
          securityContext:
            allowPrivilegeEscalation: false
          image: registry.example.com/sidecar@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9
      `.replace(/^(?=.)/gm, '        '),
    ]);
  });

  for (const [chart, dir, fixes] of [['the test chart', FIXTURE, 12], ['the scaffold-like chart', SCAFFOLD_LIKE, 4]] as const) {
    it(`makes every fix of ${chart} so that the chart, rendered again, no longer has the finding`, () => {
      const files = shopFiles(dir);
      const { findings, sources } = lint(files);
      let checked = 0;
      for (const finding of findings) {
        for (const fix of sourceFixes(finding, sources)) {
          const fixed = { ...files };
          for (const change of fix.changes) fixed[change.file] = applyTextEdits(files[change.file], change.edits);
          const again = lint(fixed).findings;
          const same = again.filter(f => f.messageId === finding.messageId && f.container === finding.container && f.resource?.name === finding.resource?.name);
          assert.deepEqual(same.map(f => `${where(f)} ${f.messageId}`), [], `${fix.title} for ${where(finding)} ${finding.messageId}`);
          checked++;
        }
      }
      assert.equal(checked, fixes);
    });
  }

  it('renders the values of the fixed file as the engine expects them', () => {
    const files = shopFiles();
    const { findings, sources } = lint(files);
    const cache = findings.find(f => f.container === 'cache')!;
    const [change] = sourceFixes(cache, sources)[0].changes;
    assert.equal(change.file, '/shop/charts/cache/values.yaml');
    files[change.file] = applyTextEdits(files[change.file], change.edits);
    const { rendering } = renderChartSource('/shop', memoryFileSystem(files));
    const statefulSet = rendering.documents.find(d => d.text.includes('StatefulSet'))!;
    assert.match(statefulSet.text, /readOnlyRootFilesystem: true/);
    assert.deepEqual(analyzeText(statefulSet.text, {}).findings.map(f => f.rule), []);
  });

  describe('suppressions in templates', () => {
    /** The test chart with some of its files' texts changed. */
    const suppressed = (edit: (files: Record<string, string>) => void) => {
      const files = shopFiles();
      edit(files);
      return lint(files).findings.map(where);
    };
    const unsuppressed = lint(shopFiles()).findings.map(where);
    const without = (...gone: string[]) => unsuppressed.filter(f => !gone.includes(f));
    /** A finding of worker.yaml from `line` down, `by` lines lower. */
    const lower = (by: number, line = 1) => (f: string) => f.replace(/^(templates\/worker\.yaml):(\d+):(\d+)-(\d+)/,
      (all, file, start, column, end) => (Number(start) < line ? all : `${file}:${Number(start) + by}:${column}-${Number(end) + by}`));
    const worker = '/shop/templates/worker.yaml';
    const deployment = '/shop/templates/deployment.yaml';

    it('a template comment above a container item covers that container', () => {
      assert.deepEqual(suppressed(files => {
        files[worker] = files[worker].replace('        - name: sidecar\n', '        {{- /* kube-immutable-ignore privilege-escalation,capabilities -- a vendor sidecar */}}\n        - name: sidecar\n');
      }), without('templates/worker.yaml:16:11-16:24 privilege-escalation sidecar', 'templates/worker.yaml:16:11-16:24 capabilities sidecar').map(lower(1, 16)));
    });

    it('a template comment above a container item covers its findings placed in values.yaml', () => {
      assert.deepEqual(suppressed(files => {
        files[deployment] = files[deployment].replace('        - name: web\n', '        {{- /* kube-immutable-ignore run-as-root -- nginx starts as root */}}\n        - name: web\n');
      }), without('values.yaml:5:1-5:16 run-as-root web'));
    });

    it('a template comment above the resource covers every container, past the template\'s actions', () => {
      assert.deepEqual(suppressed(files => {
        files[worker] = `{{- /* kube-immutable-ignore privilege-escalation -- set by an admission webhook */ -}}\n{{- if true }}\n${files[worker]}{{- end }}\n`;
      }), without('templates/worker.yaml:11:11-11:27 privilege-escalation worker', 'templates/worker.yaml:16:11-16:24 privilege-escalation sidecar')
        .map(lower(2)));
    });

    it('a YAML comment above a container item in a template, which renders', () => {
      assert.deepEqual(suppressed(files => {
        files[worker] = files[worker].replace('        - name: worker\n', '        # kube-immutable-ignore readonly-root-filesystem -- writes its spool in the image\n        - name: worker\n');
      }), without('templates/worker.yaml:13:37-13:42 readonly-root-filesystem worker')
        .map(lower(1)));
    });

    it('the ignore annotation, written in the template or rendered from values', () => {
      assert.deepEqual(suppressed(files => {
        files[worker] = files[worker].replace('spec:\n', 'spec:\n  template:\n    metadata:\n      annotations:\n        kube-immutable.io/ignore: capabilities\n').replace('  template:\n    spec:', '    spec:');
        files[deployment] = files[deployment].replace('spec:\n  template:\n', 'spec:\n  template:\n    metadata:\n      annotations:\n        {{- toYaml .Values.podAnnotations | nindent 8 }}\n');
        files['/shop/values.yaml'] += 'podAnnotations:\n  kube-immutable.io/ignore: privilege-escalation\n';
      }), [
        'values.yaml:5:1-5:16 readonly-root-filesystem web',
        'values.yaml:5:1-5:16 run-as-root web',
        'values.yaml:5:1-5:16 capabilities web',
        'values.yaml:3:3-3:16 mutable-image-reference web',
        'templates/worker.yaml:14:11-14:27 privilege-escalation worker',
        'templates/worker.yaml:16:37-16:42 readonly-root-filesystem worker',
        'templates/worker.yaml:19:11-19:24 readonly-root-filesystem sidecar',
        'templates/worker.yaml:19:11-19:24 run-as-root sidecar',
        'templates/worker.yaml:19:11-19:24 privilege-escalation sidecar',
        'charts/cache/values.yaml:3:3-3:32 readonly-root-filesystem cache',
      ]);
    });

    it('a template comment that names another rule, or stands above another container, suppresses nothing', () => {
      assert.deepEqual(suppressed(files => {
        files[worker] = files[worker]
          .replace('        - name: sidecar\n', '        {{- /* kube-immutable-ignore writable-host-path -- not this one */}}\n        - name: sidecar\n')
          .replace('        - name: worker\n', '        {{- /* kube-immutable-ignore capabilities -- the worker only */}}\n        - name: worker\n');
      }), unsuppressed.map(lower(1, 9)).map(lower(1, 17)));
    });
  });
});
