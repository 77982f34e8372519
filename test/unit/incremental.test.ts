import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AnalyzeOptions, analyzeText, chunkStarts, IncrementalAnalyzer, splitStream } from '../../server/src/engine';
import { deploymentStream } from '../../scripts/bench/manifests';

const ROOT = join(__dirname, '..', '..', '..');

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** mulberry32: a small seeded generator, so that a failing sequence of edits can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lines that move chunk boundaries, change a document's kind or break its syntax. */
const LINES = [
  '---', '--- # next', '---x', '...', '... # end', 'kind: ConfigMap', 'kind: Deployment', 'kind: List', '  - name: x',
  'key: [', '', '# comment', '      securityContext: {readOnlyRootFilesystem: false}', 'spec: &a {containers: [{name: a}]}',
  '  command: ["sh", "-c", "chmod -R a-w /"]', '{{ .Values.x }}', 'a: "unterminated',
];
const CHARACTERS = 'ab -:#\n\t[]{}"\'|>&*!%.';

function edit(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[] | string): T => items[Math.floor(next() * items.length)] as T;
  const at = Math.floor(next() * (text.length + 1));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
  switch (Math.floor(next() * 6)) {
    case 0: return text.slice(0, at) + pick(CHARACTERS) + text.slice(at);
    case 1: return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 5));
    case 2: return text.slice(0, lineStart) + pick(LINES) + '\n' + text.slice(lineStart);
    case 3: return text.slice(0, lineStart) + text.slice(lineEnd);
    case 4: {
      const markers = [...text.matchAll(/^---.*\n?/gm)];
      const marker = markers.length ? pick(markers) : undefined;
      return marker ? text.slice(0, marker.index) + text.slice(marker.index! + marker[0].length) : text;
    }
    default: return text.slice(0, lineStart) + text.slice(lineStart, lineEnd) + text.slice(lineStart);
  }
}

/** Chunk results kept by an analyzer whose streams all completed their latest analysis. */
function expectedCacheSize(latest: Map<string, { text: string; options: AnalyzeOptions }>): number {
  const distinct = new Map<AnalyzeOptions, Set<string>>();
  for (const { text, options } of latest.values()) {
    const texts = distinct.get(options) ?? new Set();
    for (const chunk of splitStream(text)) texts.add(chunk.text);
    distinct.set(options, texts);
  }
  return [...distinct.values()].reduce((sum, texts) => sum + texts.size, 0);
}

/** Options that change what rules find and what is analysed (the time budget is left out: it depends on the clock). */
const STRICT: AnalyzeOptions = { allRules: true, severities: { 'readonly-root-filesystem': 'error' }, exemptImages: ['nginx'], limits: { maxDocumentBytes: 2048 } };

describe('incremental analysis', function () {
  // Every YAML fixture of the repository, edited at random: the time grows with the fixtures.
  this.timeout(60_000);
  const fixtures = [...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test'))];

  it('finds YAML fixtures to compare on', () => {
    assert.ok(fixtures.length >= 8, `only ${fixtures.length} fixtures`);
  });

  it('gives the same result as a full analysis on every fixture and after random edits of each', () => {
    const analyzer = new IncrementalAnalyzer();
    fixtures.forEach((file, index) => {
      const next = random(index + 1);
      let text = readFileSync(file, 'utf8');
      for (let i = 0; i <= 40; i++) {
        assert.deepEqual(analyzer.analyze(file, text), analyzeText(text), `${file} after ${i} edits`);
        text = edit(text, next);
      }
      analyzer.forget(file);
    });
    assert.equal(analyzer.size, 0);
  });

  it('gives the same result while several streams with different options share chunks, stop half-way and close', () => {
    const analyzer = new IncrementalAnalyzer();
    const next = random(2026);
    // Every fourth fixture: each is compared on its own above; what this adds is streams that share chunks, and a
    // full analysis per edit of a stream of every fixture would take minutes.
    const stream = fixtures.filter((_, i) => i % 4 === 0).map(file => readFileSync(file, 'utf8')).join('\n---\n');
    const latest = new Map<string, { text: string; options: AnalyzeOptions }>();
    for (const key of ['a.yaml', 'b.yaml', 'c.yaml']) {
      const options = key === 'c.yaml' ? STRICT : {};
      latest.set(key, { text: stream, options });
      analyzer.analyze(key, stream, options);
    }
    for (let i = 0; i < 200; i++) {
      const key = `${'abc'[Math.floor(next() * 3)]}.yaml`;
      const { options } = latest.get(key)!;
      const text = edit(latest.get(key)!.text, next);
      if (next() < 0.2) {
        // A newer version arrives while this one is being analysed: the run is dropped part of the way through.
        const steps = analyzer.analyzeInSteps(key, edit(text, next), options);
        for (let taken = Math.floor(next() * 4); taken > 0 && !steps.next().done; taken--);
      }
      latest.set(key, { text, options });
      assert.deepEqual(analyzer.analyze(key, text, options), analyzeText(text, options), `${key} at edit ${i}`);
      assert.equal(analyzer.size, expectedCacheSize(latest), `kept chunks at edit ${i}`);
    }
    for (const key of latest.keys()) analyzer.forget(key);
    assert.equal(analyzer.size, 0);
  });

  it('cuts a stream where the multiline pattern of a `---` line matches, line breaks of every kind included', () => {
    const MARKER = /^---(?=[ \t\r\n]|$)/gm;
    const byPattern = (text: string) => [0, ...[...text.matchAll(MARKER)].map(match => match.index!).filter(index => index > 0)];
    const table: [string, number[]][] = [
      ['a: 1\n---\nb: 2\n', [0, 5]],
      ['---\na: 1\n--- # two\nb: 2\n---', [0, 9, 24]],
      ['a: 1\r\n---\r\nb: 2\r---\u2028---\u2029--- x', [0, 6, 16, 20, 24]],
      ['a: "---"\n----\n---x\n--\n- ---\n---\t', [0, 28]],
    ];
    for (const [text, starts] of table) {
      assert.deepEqual(chunkStarts(text), starts, JSON.stringify(text));
      assert.deepEqual(byPattern(text), starts, JSON.stringify(text));
    }
    const next = random(7);
    const pieces = ['---', '-', ' ', '\t', '\n', '\r', '\u2028', '\u2029', 'a', '#', '...'];
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: Math.floor(next() * 30) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      assert.deepEqual(chunkStarts(text), byPattern(text), JSON.stringify(text));
    }
  });

  it('re-analyses a stream when its options change', () => {
    const analyzer = new IncrementalAnalyzer();
    const text = readFileSync(join(ROOT, 'examples', 'mixed-stream.yaml'), 'utf8');
    assert.deepEqual(analyzer.analyze('s', text, {}), analyzeText(text, {}));
    assert.deepEqual(analyzer.analyze('s', text, STRICT), analyzeText(text, STRICT));
    assert.equal(analyzer.size, splitStream(text).length);
  });

  it('analyses again only the chunks an edit touched', () => {
    const analyzer = new IncrementalAnalyzer();
    const documents = Array.from({ length: 20 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: c, image: 'nginx:1.27'}]}\n`);
    const steps = (text: string) => [...analyzer.analyzeInSteps('s', text)].length;
    assert.equal(steps(documents.join('---\n')), 20);
    documents[7] = documents[7].replace('p7', 'seven');
    assert.equal(steps(documents.join('---\n')), 1);
    // Lines added above a chunk shift it without changing its text.
    assert.equal(steps('# header\n\n' + documents.join('---\n')), 1);
  });

  it('hands back the findings of the documents an edit did not touch or move, and places the others anew', () => {
    const analyzer = new IncrementalAnalyzer();
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: 'nginx:1.27'}]}\n`;
    const byDocument = (text: string) => {
      const { findings } = analyzer.analyze('s', text);
      return [0, 1, 2].map(index => findings.filter(f => f.documentIndex === index));
    };
    const before = byDocument([pod('a'), pod('b'), pod('c')].join('---\n'));
    // The second document changes on its own line: the first and the third stay where they were.
    const renamed = byDocument([pod('a'), pod('bee'), pod('c')].join('---\n'));
    assert.ok(before.every(findings => findings.length > 0));
    assert.ok(renamed[0].every((finding, i) => finding === before[0][i]), 'the first document\'s findings are the same objects');
    assert.ok(renamed[1].every((finding, i) => finding !== before[1][i]));
    assert.ok(renamed[2].every((finding, i) => finding === before[2][i]), 'the third document\'s findings are the same objects');
    // A line added to the second document moves the third: its findings are placed again, one line down.
    const moved = byDocument([pod('a'), `# note\n${pod('bee')}`, pod('c')].join('---\n'));
    assert.ok(moved[0].every((finding, i) => finding === renamed[0][i]));
    assert.deepEqual(moved[2].map(f => f.range.start.line), renamed[2].map(f => f.range.start.line + 1));
    assert.ok(moved[2].every((finding, i) => finding !== renamed[2][i]));
  });

  it('gives the same result on a long stream of Deployments, with random edits', function () {
    this.timeout(120000);
    const analyzer = new IncrementalAnalyzer();
    const next = random(34);
    let text = deploymentStream(300);
    for (let i = 0; i <= 8; i++) {
      assert.deepEqual(analyzer.analyze('stream', text), analyzeText(text), `stream after ${i} edits`);
      text = edit(text, next);
    }
  });
});
