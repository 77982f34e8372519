import * as assert from 'node:assert/strict';
import { AnalysisResult, analyzeText } from '../../server/src/engine';
import { AnalysisScheduler, Snapshot } from '../../server/src/lsp/analysisScheduler';

const deployment = (i: number, readOnly: boolean) => [
  'apiVersion: apps/v1', 'kind: Deployment', `metadata: {name: app-${i}}`, 'spec:', '  template:', '    spec:', '      containers:',
  `      - name: app`, `        image: registry.example.com/app:1.${i}`, `        securityContext: {readOnlyRootFilesystem: ${readOnly}}`, '',
].join('\n');
/** A stream that takes many analysis slices (hundreds of ms), so that a newer version can arrive during its analysis. */
const LARGE = Array.from({ length: 600 }, (_, i) => deployment(i, i % 2 === 0)).join('---\n');

class Editor {
  readonly open = new Map<string, Snapshot>();
  /** Every publication, those of the first documents while the rest is analysed too. */
  readonly publications: { uri: string; version: number; result: AnalysisResult; complete: boolean }[] = [];
  readonly scheduler = new AnalysisScheduler(uri => this.open.get(uri), (document, result, complete) => {
    this.publications.push({ uri: document.uri, version: document.version, result, complete });
  }, (_, error) => { throw error; });

  /** The publications of whole versions. */
  get published() {
    return this.publications.filter(p => p.complete);
  }

  change(uri: string, version: number, text: string): void {
    const document = { uri, version, getText: () => text };
    this.open.set(uri, document);
    this.scheduler.schedule(document, { options: {} });
  }
}

const turn = () => new Promise(resolve => setTimeout(resolve, 1));
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await turn();
}

describe('analysis scheduler', () => {
  it('publishes only the latest of quick successive versions', async () => {
    const editor = new Editor();
    for (let version = 1; version <= 5; version++) editor.change('file:///a.yaml', version, deployment(version, false));
    await until(() => editor.published.length > 0);
    await turn();
    assert.deepEqual(editor.published.map(p => p.version), [5]);
    assert.deepEqual(editor.published[0].result, analyzeText(deployment(5, false), {}, 'none'));
  });

  it('stops analysing a version when a newer one arrives, and publishes the newer one', async () => {
    const editor = new Editor();
    editor.change('file:///large.yaml', 1, LARGE);
    // Let the first version's analysis start and run a few slices.
    for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve));
    await turn();
    const edited = LARGE.replace('name: app-3}', 'name: app-three}');
    editor.change('file:///large.yaml', 2, edited);
    await until(() => editor.published.length > 0);
    assert.deepEqual(editor.published.map(p => p.version), [2]);
    assert.deepEqual(editor.published[0].result, analyzeText(edited, {}, 'none'));
  });

  it('publishes nothing for a document closed before its analysis ended', async () => {
    const editor = new Editor();
    editor.change('file:///closed.yaml', 1, LARGE);
    await turn();
    editor.open.delete('file:///closed.yaml');
    editor.scheduler.forget('file:///closed.yaml');
    editor.change('file:///other.yaml', 1, deployment(0, true));
    await until(() => editor.published.length > 0);
    assert.deepEqual(editor.published.map(p => p.uri), ['file:///other.yaml']);
  });

  it('publishes the first documents of a large stream before the rest, then the whole', async () => {
    const editor = new Editor();
    editor.change('file:///large.yaml', 1, LARGE);
    await until(() => editor.published.length > 0);
    const whole = analyzeText(LARGE, {}, 'none');
    const first = editor.publications[0];
    assert.equal(first.complete, false);
    const analysed = first.result.documents.length;
    assert.ok(analysed > 0 && analysed < whole.documents.length, `${analysed} of ${whole.documents.length} documents in the first publication`);
    // The first documents' findings, exactly as the whole analysis finds them.
    assert.deepEqual(first.result.findings, whole.findings.filter(f => f.documentIndex < analysed));
    assert.deepEqual(first.result.documents, whole.documents.slice(0, analysed));
    const last = editor.publications[editor.publications.length - 1];
    assert.equal(last.complete, true);
    assert.deepEqual(last.result, whole);
  });

  it('publishes an edit of a stream with a complete result once, whole, though its analysis takes many slices', async () => {
    const editor = new Editor();
    editor.change('file:///large.yaml', 1, LARGE);
    await until(() => editor.published.length === 1);
    const before = editor.publications.length;
    // Every document changed: as long to analyse as the first version, which was published in parts.
    const edited = LARGE.replaceAll('image: registry', 'image:  registry');
    editor.change('file:///large.yaml', 2, edited);
    await until(() => editor.published.length === 2);
    assert.ok(before > 1, `${before} publications of the first version`);
    assert.deepEqual(editor.publications.slice(before).map(p => [p.version, p.complete]), [[2, true]]);
    assert.deepEqual(editor.published[1].result, analyzeText(edited, {}, 'none'));
  });

  it('publishes nothing more of a version once an edit replaced it', async () => {
    const editor = new Editor();
    editor.change('file:///large.yaml', 1, LARGE);
    await until(() => editor.publications.length > 0);
    const edited = LARGE.replace('name: app-3}', 'name: app-three}');
    editor.change('file:///large.yaml', 2, edited);
    const before = editor.publications.length;
    await until(() => editor.published.length > 0);
    assert.deepEqual(editor.publications.slice(before).map(p => p.version), editor.publications.slice(before).map(() => 2));
    assert.deepEqual(editor.published.map(p => p.version), [2]);
  });

  it('tells the analysis what changed since the version it completed last, not since a version it stopped', async () => {
    const editor = new Editor();
    const asked: [number, number][] = [];
    const texts = new Map<number, string>();
    const change = (version: number, text: string) => {
      texts.set(version, text);
      const document = {
        uri: 'file:///large.yaml', version, getText: () => text,
        // The ends two versions share, found here by comparing them (an editor's edit ranges say it).
        unchangedSince: (since: number) => {
          asked.push([since, version]);
          const before = texts.get(since)!;
          let prefix = 0;
          while (prefix < Math.min(before.length, text.length) && before[prefix] === text[prefix]) prefix++;
          let suffix = 0;
          while (suffix < Math.min(before.length, text.length) - prefix && before[before.length - 1 - suffix] === text[text.length - 1 - suffix]) suffix++;
          return { prefix, suffix, previousLength: before.length };
        },
      };
      editor.open.set(document.uri, document);
      editor.scheduler.schedule(document, { options: {} });
    };
    change(1, LARGE);
    await until(() => editor.published.length === 1);
    // Version 2 is stopped by version 3 before it completes: version 3 is read against version 1.
    change(2, LARGE.replaceAll('image: registry', 'image:  registry'));
    await until(() => asked.length > 0);
    await turn();
    const third = LARGE.replace('name: app-3}', 'name: app-3x}').replace('name: app-500}', 'name: app-five}');
    change(3, third);
    await until(() => editor.published.length === 2);
    change(4, third.replace('name: app-7}', 'name: app-seven}'));
    await until(() => editor.published.length === 3);
    assert.deepEqual(editor.published.map(p => p.version), [1, 3, 4]);
    assert.deepEqual(asked, [[1, 2], [1, 3], [3, 4]]);
    assert.deepEqual(editor.published[1].result, analyzeText(third, {}, 'none'));
    assert.deepEqual(editor.published[2].result, analyzeText(texts.get(4)!, {}, 'none'));
    // Closed: what was analysed is forgotten, and the next opening is read whole.
    editor.scheduler.forget('file:///large.yaml');
    asked.length = 0;
    change(1, LARGE);
    await until(() => editor.published.length === 4);
    assert.deepEqual(asked, []);
  });

  it('says how long no analysis has run or been due', async () => {
    const editor = new Editor();
    assert.equal(editor.scheduler.quietFor(), Infinity);
    const scheduled = performance.now();
    editor.change('file:///large.yaml', 1, LARGE);
    assert.equal(editor.scheduler.quietFor(), 0);
    await until(() => editor.published.length > 0);
    await new Promise(resolve => setTimeout(resolve, 30));
    // Quiet since the analysis ended: after it was scheduled, and at least the 30 ms waited since.
    const quiet = editor.scheduler.quietFor();
    assert.ok(quiet >= 29 && quiet < performance.now() - scheduled, `${quiet} ms`);
    // A version that replaces one being analysed keeps it busy; closing the document ends it.
    editor.change('file:///large.yaml', 2, LARGE + '# 2\n');
    editor.change('file:///large.yaml', 3, LARGE + '# 3\n');
    assert.equal(editor.scheduler.quietFor(), 0);
    editor.scheduler.forget('file:///large.yaml');
    assert.ok(editor.scheduler.quietFor() < 29);
  });
});
