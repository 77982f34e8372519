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

/** The test chart's files under /shop, as texts a test may change. */
function shopFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const read = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) read(path, `${prefix}/${name}`); else files[`${prefix}/${name}`] = readFileSync(path, 'utf8');
    }
  };
  read(FIXTURE, '/shop');
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

  it('makes every fix so that the chart, rendered again, no longer has the finding', () => {
    const files = shopFiles();
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
    assert.equal(checked, 12);
  });

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
});
