// The edit behind "Ignore <rule> for this container": a `# kube-immutable-ignore` comment on the line above
// the container's sequence item, indented like it, which is exactly what the comment suppressions cover.
import { parseAllDocuments } from 'yaml';
import { positionsOf, splitStream } from './analyze';
import { Finding, TextEdit } from './types';
import { expandLists, findPodSpec, kubeObject } from './workloads';

const REASON_PLACEHOLDER = '<reason>';

/** The edit, or undefined when the finding is not inside a block-style container item of the stream. */
export function ignoreForContainerEdit(text: string, finding: Pick<Finding, 'rule' | 'range'>): TextEdit | undefined {
  const { line, character } = finding.range.start;
  const chunk = splitStream(text).filter(c => c.line <= line).pop();
  const docs = chunk && parseAllDocuments(chunk.text, { version: '1.1' });
  if (!chunk || !Array.isArray(docs)) return undefined;
  const lines = chunk.text.split('\n');
  const offset = lines.slice(0, line - chunk.line).reduce((sum, l) => sum + l.length + 1, 0) + character;
  for (const doc of docs) {
    const root = doc.errors.length ? undefined : kubeObject(doc.contents, doc);
    for (const object of root ? expandLists(root) : []) {
      const container = findPodSpec(object)?.containers.find(c => c.node.range && c.node.range[0] <= offset && offset < c.node.range[2]);
      if (!container) continue;
      const itemStart = positionsOf(chunk.text)(container.node.range![0]);
      const itemLine = lines[itemStart.line];
      const dash = /^([ \t]*)-[ \t]+$/.exec(itemLine.slice(0, itemStart.character));
      if (!dash) return undefined;
      const eol = itemLine.endsWith('\r') ? '\r\n' : '\n';
      const at = { line: chunk.line + itemStart.line, character: 0 };
      return { range: { start: at, end: at }, newText: `${dash[1]}# kube-immutable-ignore ${finding.rule} -- ${REASON_PLACEHOLDER}${eol}` };
    }
  }
  return undefined;
}
