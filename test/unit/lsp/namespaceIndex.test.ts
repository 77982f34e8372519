// The editor's index of the Namespaces' Pod Security labels: read a `---` chunk at a time, so an edit of a stream
// reads again only the labelled chunks it touched, with the labels' ranges where they are in the file.
import * as assert from 'node:assert/strict';
import { AnalyzeOptions, namespacePoliciesIn } from '../../../server/src/engine';
import { DocumentVersion, NamespaceIndex } from '../../../server/src/lsp/namespaceIndex';

const namespace = (name: string, level: string) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;
const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: shop}\nspec: {containers: [{name: c, image: 'nginx:1.27'}]}\n`;
const URI = 'file:///workspace/install.yaml';
const BASE: AnalyzeOptions = {};

/** The level each namespace enforces and the line and characters of its label. */
function enforced(index: NamespaceIndex): Record<string, string> {
  return Object.fromEntries(Object.entries(index.options(BASE).podSecurity ?? {}).map(([name, policy]) => {
    const { start, end } = policy.enforce!.source.range!;
    return [name, `${policy.enforce!.level} ${start.line}:${start.character}-${end.line}:${end.character}`];
  }));
}

describe('namespace index', () => {
  it('reads the labelled Namespaces of a stream chunk by chunk, as a reading of the whole text does', () => {
    const index = new NamespaceIndex();
    const text = [namespace('shop', 'restricted'), pod(1), pod(2), namespace('tools', 'baseline'), pod(3)].join('---\n');
    assert.equal(index.update(URI, text), true);
    assert.deepEqual(enforced(index), { shop: 'restricted 5:4-5:50', tools: 'baseline 22:4-22:48' });
    assert.deepEqual(index.options(BASE).podSecurity, namespacePoliciesIn(text, URI));
  });

  it('says nothing changed after an edit of another document, and places the labels again after lines move', () => {
    const index = new NamespaceIndex();
    const documents = [pod(1), namespace('shop', 'restricted'), pod(2)];
    index.update(URI, documents.join('---\n'));
    assert.deepEqual(enforced(index), { shop: 'restricted 10:4-10:50' });
    documents[2] = pod(22);
    assert.equal(index.update(URI, documents.join('---\n')), false);
    documents[0] = `# two lines\n# more\n${pod(1)}`;
    assert.equal(index.update(URI, documents.join('---\n')), true);
    assert.deepEqual(enforced(index), { shop: 'restricted 12:4-12:50' });
    documents[1] = namespace('shop', 'baseline');
    assert.equal(index.update(URI, documents.join('---\n')), true);
    assert.deepEqual(enforced(index), { shop: 'baseline 12:4-12:48' });
  });

  it('forgets a file\'s Namespaces when its labels or the file go', () => {
    const index = new NamespaceIndex();
    index.update(URI, namespace('shop', 'restricted'));
    assert.equal(index.update(URI, namespace('shop', 'restricted').replace(/\n {4}pod-security.*\n/, '\n')), true);
    assert.deepEqual(enforced(index), {});
    index.update(URI, namespace('shop', 'restricted'));
    assert.equal(index.update(URI, undefined), true);
    assert.deepEqual(enforced(index), {});
  });

  it('reads only what an edit of an open stream without labels changed, and finds a label the edit adds there', () => {
    const index = new NamespaceIndex();
    // The text outside the ends said unchanged is never read: a label written there by a false claim is not seen.
    const at = (version: number, prefix: number, suffix: number, previousLength: number): DocumentVersion => ({ version, unchangedSince: since => (since === version - 1 ? { prefix, suffix, previousLength } : undefined) });
    const plain = [pod(1), pod(2)].join('---\n');
    assert.equal(index.update(URI, plain, at(1, 0, 0, 0)), false);
    const labelled = [pod(1), namespace('shop', 'restricted')].join('---\n');
    const first = plain.indexOf('p2');
    // Claimed: only the first character of the second document changed. The label is past it: not read.
    assert.equal(index.update(URI, labelled, at(2, first, labelled.length - first - 1, plain.length)), false);
    assert.deepEqual(enforced(index), {});
    // Claimed truly: the edit covers the label, which is found; with labels, the whole stream is read after each edit.
    const restricted = labelled.indexOf('pod-security');
    assert.equal(index.update(URI, plain, at(3, 0, 0, labelled.length)), false);
    assert.equal(index.update(URI, labelled, at(4, restricted + 3, labelled.length - restricted - 5, plain.length)), true);
    assert.deepEqual(enforced(index), { shop: 'restricted 10:4-10:50' });
    assert.equal(index.update(URI, labelled.replace('restricted', 'baseline'), at(5, labelled.length, 0, labelled.length)), true);
    assert.deepEqual(enforced(index), { shop: 'baseline 10:4-10:48' });
  });

  it('reads the whole text after a version it cannot relate to the one it read, or after the document was closed', () => {
    const index = new NamespaceIndex();
    const plain = [pod(1), pod(2)].join('---\n');
    const labelled = [pod(1), namespace('shop', 'restricted')].join('---\n');
    const claimingNothingChanged: DocumentVersion = { version: 2, unchangedSince: () => ({ prefix: labelled.length, suffix: 0, previousLength: labelled.length }) };
    index.update(URI, plain, { version: 1 });
    index.documentClosed(URI);
    assert.equal(index.update(URI, labelled, claimingNothingChanged), true);
    assert.deepEqual(enforced(index), { shop: 'restricted 10:4-10:50' });
    const unrelated: DocumentVersion = { version: 9, unchangedSince: () => undefined };
    index.update(URI, plain, { version: 8 });
    assert.equal(index.update(URI, labelled, unrelated), true);
  });
});
