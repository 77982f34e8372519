import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AnalyzeOptions, analyzeText, chunkStarts, IncrementalAnalyzer, splitStream, StreamText, UnchangedEnds } from '../../server/src/engine';
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

/** The ends two texts share, as an editor's edit ranges tell them: `slack` characters fewer, which is as true. */
function unchangedEnds(before: string, after: string, slack = 0): UnchangedEnds {
  const most = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < most && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < most - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { prefix: Math.max(0, prefix - slack), suffix: Math.max(0, suffix - slack), previousLength: before.length };
}

/** A text that counts the characters of the slices read of it, and fails when it is read whole. */
class CountedText implements StreamText {
  read = 0;
  constructor(private readonly text: string) {}
  get length(): number { return this.text.length; }
  slice(start: number, end?: number): string {
    const slice = this.text.slice(start, end);
    this.read += slice.length;
    return slice;
  }
  toString(): string { throw new Error('the whole text was read'); }
}

/** Runs an analysis to its end; returns its result and how many chunks it analysed. */
function analyseWith(analyzer: IncrementalAnalyzer, key: string, text: StreamText, unchanged?: UnchangedEnds, options?: AnalyzeOptions) {
  const steps = analyzer.analyzeInSteps(key, text, options, Infinity, unchanged);
  for (let analysed = 0; ; analysed++) {
    const step = steps.next();
    if (step.done) return { result: step.value, analysed };
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

  describe('with the unchanged ends of each edit', () => {
    it('gives the same result as a full analysis on every other fixture after random edits, the ends exact or shorter', () => {
      const analyzer = new IncrementalAnalyzer();
      fixtures.filter((_, i) => i % 2 === 1).forEach((file, index) => {
        const next = random(index + 100);
        let text = readFileSync(file, 'utf8');
        analyzer.analyze(file, text);
        for (let i = 1; i <= 30; i++) {
          const edited = edit(text, next);
          const slack = Math.floor(next() * 3);
          assert.deepEqual(analyseWith(analyzer, file, edited, unchangedEnds(text, edited, slack)).result, analyzeText(edited), `${file} after ${i} edits`);
          text = edited;
        }
        analyzer.forget(file);
      });
      assert.equal(analyzer.size, 0);
    });

    it('cuts the stream where a full cut does when an edit makes, moves or breaks a `---` line at the edge of what changed', () => {
      const table: [string, string, number[]][] = [
        // [before, after, the chunk starts after]
        ['a: 1\n--\nb: 2\n', 'a: 1\n---\nb: 2\n', [0, 5]],
        ['a: 1\n---\nb: 2\n', 'a: 1\n--\nb: 2\n', [0]],
        ['a: 1\n---\nb: 2\n', 'a: 1\n---x\nb: 2\n', [0]],
        ['a: 1\n---', 'a: 1\n---x', [0]],
        ['a: 1\n---x', 'a: 1\n---', [0, 5]],
        ['a: 1\n---\nb: 2\n', 'a: 1---\nb: 2\n', [0]],
        ['a: 1---\nb: 2\n', 'a: 1\n---\nb: 2\n', [0, 5]],
        ['---\na: 1\n', 'x---\na: 1\n', [0]],
        ['a: 1\n---\nb: 2\n---\nc: 3\n', 'a: 1\n---\nb: 22\n---\nc: 3\n', [0, 5, 15]],
        ['a: 1\n---\nb: 2\n---\nc: 3\n', 'a: 1\n---\nb: 2\n---\n---\nc: 3\n', [0, 5, 14, 18]],
      ];
      for (const [before, after, starts] of table) {
        const analyzer = new IncrementalAnalyzer();
        analyzer.analyze('s', before);
        const { result } = analyseWith(analyzer, 's', after, unchangedEnds(before, after));
        assert.deepEqual(chunkStarts(after), starts, JSON.stringify(after));
        assert.deepEqual(result, analyzeText(after), `${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      }
    });

    it('takes the chunks in the unchanged ends from the last analysis without reading them, and analyses the edited one', () => {
      const analyzer = new IncrementalAnalyzer();
      const pod = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: '${image}'}]}\n`;
      const documents = Array.from({ length: 5 }, (_, i) => pod(`p${i}`, 'nginx:stable'));
      const before = documents.join('---\n');
      analyzer.analyze('s', before);
      // The third document's tag changes. Told that only it changed, the analysis reads no other: the first
      // document's tag, changed too but within the ends said unchanged, is not seen (an editor's ends are true).
      documents[0] = pod('p0', 'nginx:latest');
      documents[2] = pod('p2', 'nginx:latest');
      const after = documents.join('---\n');
      const tag = after.indexOf('latest', after.indexOf('{name: p2}'));
      const unchanged = { prefix: tag, suffix: after.length - tag - 'latest'.length, previousLength: before.length };
      const { result, analysed } = analyseWith(analyzer, 's', after, unchanged);
      assert.equal(analysed, 1);
      const latest = (index: number) => result.findings.filter(f => f.documentIndex === index && f.messageId === 'mutable-image-reference/latest').length;
      assert.deepEqual([0, 1, 2, 3, 4].map(latest), [0, 0, 1, 0, 0]);
      // Without them, every chunk is read and the first document's tag is found.
      const read = new IncrementalAnalyzer();
      read.analyze('s', before);
      assert.deepEqual([0, 1, 2, 3, 4].map(index => analyseWith(read, 's', after).result.findings.filter(f => f.documentIndex === index && f.messageId === 'mutable-image-reference/latest').length), [1, 0, 1, 0, 0]);
    });

    it('reads of a text held in pieces only the chunks an edit touched and the changed text around the edit', () => {
      const analyzer = new IncrementalAnalyzer();
      const before = deploymentStream(200);
      analyzer.analyze('s', before);
      const chunks = splitStream(before);
      // A character typed into the image of the 101st Deployment.
      const edited = chunks[100];
      const at = edited.offset + edited.text.indexOf('image: ') + 'image: '.length;
      const after = `${before.slice(0, at)}x${before.slice(at)}`;
      const text = new CountedText(after);
      const ends = unchangedEnds(before, after);
      const { result, analysed } = analyseWith(analyzer, 's', text, ends);
      assert.deepEqual(result, analyzeText(after));
      assert.equal(analysed, 1);
      // The changed text with four characters on each side, where a `---` line it makes or breaks would be, and the
      // edited chunk twice: searched for a file directive, and analysed.
      const changed = (ends: UnchangedEnds, text: string) => text.length - ends.prefix - ends.suffix;
      assert.equal(changed(ends, after), 1);
      assert.equal(text.read, 4 + 1 + 4 + 2 * (edited.text.length + 1));
      // A `---` line typed in the middle of that chunk cuts it in two; still only it is read.
      const line = before.indexOf('\n', at) + 1;
      const cut = `${before.slice(0, line)}---\n${before.slice(line)}`;
      analyzer.analyze('t', before);
      const cutText = new CountedText(cut);
      const cutEnds = unchangedEnds(before, cut);
      assert.deepEqual(analyseWith(analyzer, 't', cutText, cutEnds).result, analyzeText(cut));
      assert.equal(splitStream(cut).length, chunks.length + 1);
      assert.equal(cutText.read, 4 + changed(cutEnds, cut) + 4 + 2 * (edited.text.length + 4));
    });

    it('reads the whole text when the ends are not of its last completed analysis: another length, or changed options', () => {
      const analyzer = new IncrementalAnalyzer();
      const text = deploymentStream(4);
      analyzer.analyze('s', text);
      const edited = text.replace('app-2', 'app-two');
      const wrongLength = { ...unchangedEnds(text, edited), previousLength: text.length + 1 };
      assert.deepEqual(analyseWith(analyzer, 's', edited, wrongLength).result, analyzeText(edited));
      assert.deepEqual(analyseWith(analyzer, 's', text, unchangedEnds(edited, text), STRICT).result, analyzeText(text, STRICT));
    });

    it('finds a file directive that an edit adds, and forgets one it removes', () => {
      const analyzer = new IncrementalAnalyzer();
      let text = deploymentStream(3);
      analyzer.analyze('s', text);
      const directive = '# kube-immutable-ignore-file readonly-root-filesystem\n';
      const at = text.indexOf('apiVersion', 10);
      const withDirective = text.slice(0, at) + directive + text.slice(at);
      const added = analyseWith(analyzer, 's', withDirective, unchangedEnds(text, withDirective)).result;
      assert.deepEqual(added, analyzeText(withDirective));
      assert.equal(added.findings.filter(f => f.rule === 'readonly-root-filesystem').length, 0);
      text = withDirective.replace(directive, '');
      const removed = analyseWith(analyzer, 's', text, unchangedEnds(withDirective, text)).result;
      assert.deepEqual(removed, analyzeText(text));
      assert.ok(removed.findings.some(f => f.rule === 'readonly-root-filesystem'));
    });
  });
});
