// An analysis that lists only the first findings of a stream (the editor's kubeImmutable.maxProblemsPerFile) and
// counts the rest: what it lists and how many it counts are what a full analysis finds, and an edit analyses
// again only what it touched, or what it brought into the list.
import * as assert from 'node:assert/strict';
import { AnalysisResult, AnalyzeOptions, analyzeText, IncrementalAnalyzer } from '../../server/src/engine';

/** A Pod of one unhardened container: five findings, four on its `- name: c` line and one on its image. */
const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n`;
const pods = (count: number) => Array.from({ length: count }, (_, i) => pod(i));
const stream = (documents: string[]) => documents.join('---\n');

/** The first `max` findings of the full analysis, and how many more it found. */
function expected(text: string, max: number, options: AnalyzeOptions = {}): AnalysisResult {
  const whole = analyzeText(text, options, 'none');
  const unlisted = Math.max(0, whole.findings.length - max);
  return { findings: whole.findings.slice(0, max), documents: whole.documents, ...(unlisted ? { unlisted } : {}) };
}

/**
 * Runs a capped analysis to its end: its result, and how many chunks it had to analyse (it pauses after each).
 * Results are kept per options object: none here means the analyzer's own, the same on every call.
 */
function capped(analyzer: IncrementalAnalyzer, text: string, max: number, options?: AnalyzeOptions): { result: AnalysisResult; analysed: number } {
  const steps = analyzer.analyzeInSteps('stream.yaml', text, options, max);
  let analysed = 0;
  for (let step = steps.next(); ; step = steps.next(), analysed++) if (step.done) return { result: step.value, analysed };
}

describe('capped analysis: the first findings listed, the rest counted', () => {
  const cases: { title: string; text: string; max: number; options?: AnalyzeOptions; listed: string[]; unlisted: number }[] = [
    {
      title: '30 Pods, 10 listed: the first two Pods, and 140 counted',
      text: stream(pods(30)), max: 10, unlisted: 140,
      listed: [5, 6, 13, 14].flatMap(line => (line % 8 === 5 ? ['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'] : ['mutable-image-reference']).map(rule => `${rule} ${line}`)),
    },
    {
      title: 'the cap in the middle of a Pod: the rest of its findings are counted',
      text: stream(pods(4)), max: 7, unlisted: 13,
      listed: ['readonly-root-filesystem 5', 'run-as-root 5', 'privilege-escalation 5', 'capabilities 5', 'mutable-image-reference 6', 'readonly-root-filesystem 13', 'run-as-root 13'],
    },
    {
      title: 'a file directive suppresses a rule in the counted documents too',
      text: `# kube-immutable-ignore-file run-as-root,capabilities -- test fixtures\n${stream(pods(10))}`, max: 4, unlisted: 26,
      listed: ['readonly-root-filesystem 6', 'privilege-escalation 6', 'mutable-image-reference 7', 'readonly-root-filesystem 14'],
    },
    {
      title: 'a rule turned off is not counted',
      text: stream(pods(10)), max: 3, options: { severities: { 'mutable-image-reference': 'off' } }, unlisted: 37,
      listed: ['readonly-root-filesystem 5', 'run-as-root 5', 'privilege-escalation 5'],
    },
    {
      title: 'an unused file directive\'s hint is listed in file order and pushes the last listed finding out',
      text: `# kube-immutable-ignore-file host-namespaces -- none here\n${stream(pods(4))}`, max: 3, unlisted: 18,
      listed: ['unused-suppression 0', 'readonly-root-filesystem 6', 'run-as-root 6'],
    },
    {
      title: 'a line suppression in a counted document: what it suppresses is not counted, an unused one\'s hint is',
      text: stream([...pods(2), pod(2).replace('  - name: c', '  # kube-immutable-ignore readonly-root-filesystem,host-namespaces -- read-only by its volume\n  - name: c')]),
      max: 5, unlisted: 10,
      listed: ['readonly-root-filesystem 5', 'run-as-root 5', 'privilege-escalation 5', 'capabilities 5', 'mutable-image-reference 6'],
    },
    {
      title: 'a Compose file among the counted documents is counted by its own checks',
      text: stream([...pods(2), 'services:\n  web:\n    image: nginx:1.27\n']), max: 5, unlisted: 10,
      listed: ['readonly-root-filesystem 5', 'run-as-root 5', 'privilege-escalation 5', 'capabilities 5', 'mutable-image-reference 6'],
    },
    {
      title: 'no more findings than the cap: all listed, none counted',
      text: stream(pods(2)), max: 10, unlisted: 0,
      listed: [5, 6, 13, 14].flatMap(line => (line % 8 === 5 ? ['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'] : ['mutable-image-reference']).map(rule => `${rule} ${line}`)),
    },
  ];

  for (const { title, text, max, options, listed, unlisted } of cases) {
    it(title, () => {
      const { result } = capped(new IncrementalAnalyzer('none'), text, max, options);
      assert.deepEqual(result.findings.map(f => `${f.rule} ${f.range.start.line}`), listed);
      assert.equal(result.unlisted ?? 0, unlisted);
      assert.deepEqual(result, expected(text, max, options));
    });
  }

  it('counts as many findings as a full analysis finds on a stream of 2,000 Pods', () => {
    const text = stream(pods(2000));
    const { result } = capped(new IncrementalAnalyzer('none'), text, 1000);
    assert.equal(result.findings.length + result.unlisted!, 10_000);
    assert.equal(result.findings.length + result.unlisted!, analyzeText(text, {}, 'none').findings.length);
  });

  describe('edits', () => {
    it('analyses again only the document an edit touched, listed or counted', () => {
      const analyzer = new IncrementalAnalyzer('none');
      const documents = pods(30);
      assert.equal(capped(analyzer, stream(documents), 10).analysed, 30);
      documents[1] = documents[1].replace('p1', 'listed');
      assert.deepEqual(capped(analyzer, stream(documents), 10), { result: expected(stream(documents), 10), analysed: 1 });
      documents[20] = documents[20].replace('p20', 'counted');
      assert.deepEqual(capped(analyzer, stream(documents), 10), { result: expected(stream(documents), 10), analysed: 1 });
    });

    it('analyses a counted document again in full when an edit before it brings it into the list', () => {
      const analyzer = new IncrementalAnalyzer('none');
      const documents = pods(30);
      capped(analyzer, stream(documents), 10);
      // Pod 0 replaced by a ConfigMap of four lines: its five findings go, and Pod 2, counted so far, is listed now.
      documents[0] = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n';
      const text = stream(documents);
      const { result, analysed } = capped(analyzer, text, 10);
      assert.equal(analysed, 2);
      assert.deepEqual(result, expected(text, 10));
      assert.deepEqual(result.findings.slice(5).map(f => f.range.start.line), [18, 18, 18, 18, 19]);
      // Listed now, it is kept as such: the next edit elsewhere analyses that edit's document only.
      documents[29] = documents[29].replace('p29', 'last');
      assert.deepEqual(capped(analyzer, stream(documents), 10), { result: expected(stream(documents), 10), analysed: 1 });
    });

    it('gives a listing analysis of the same text the findings in full, never counted ones', () => {
      const analyzer = new IncrementalAnalyzer('none');
      const text = stream(pods(30));
      capped(analyzer, text, 10);
      // Another open file with the same documents lists them all.
      const steps = analyzer.analyzeInSteps('copy.yaml', text, {});
      let step = steps.next();
      while (!step.done) step = steps.next();
      assert.deepEqual(step.value, analyzeText(text, {}, 'none'));
    });

    it('counts the documents past the list by the options\' severities and the file directives, as edits come and go', () => {
      const analyzer = new IncrementalAnalyzer('none');
      const options: AnalyzeOptions = { severities: { 'run-as-root': 'off' } };
      const documents = pods(30);
      const check = () => {
        const text = stream(documents);
        const { result } = capped(analyzer, text, 10, options);
        assert.deepEqual(result, expected(text, 10, options));
        return result.unlisted;
      };
      assert.equal(check(), 30 * 4 - 10);
      // An edit of a listed document: the counted ones are counted as they were.
      documents[1] = documents[1].replace('p1', 'listed');
      assert.equal(check(), 30 * 4 - 10);
      documents[0] = `# kube-immutable-ignore-file readonly-root-filesystem\n${documents[0]}`;
      assert.equal(check(), 30 * 3 - 10);
      documents[0] = documents[0].replace('# kube-immutable-ignore-file readonly-root-filesystem\n', '');
      assert.equal(check(), 30 * 4 - 10);
    });
  });
});
