// The edit behind "Ignore <rule> for this container": a `# kube-immutable-ignore` comment on the line above
// the container's sequence item, indented like it, which is exactly what the comment suppressions cover. A
// container written inline as the only item of `containers: [{...}]` gets the comment above that key instead,
// which covers that one container too.
import { isScalar } from 'yaml';
import { parseChunk, positionsOf, splitStream } from './analyze';
import { Finding, TextEdit } from './types';
import { expandLists, findPodSpec, kubeObject } from './workloads';

const REASON_PLACEHOLDER = '<reason>';

/** The edit, or undefined when no comment line can cover the finding's container and no other container. */
export function ignoreForContainerEdit(text: string, finding: Pick<Finding, 'rule' | 'range'>): TextEdit | undefined {
  const { line, character } = finding.range.start;
  const chunk = splitStream(text).filter(c => c.line <= line).pop();
  // Parsed as its analysis parsed it: plain YAML without yaml's general parser, which a code action would otherwise
  // run (and compile, the first time) for each finding it offers to ignore.
  const docs = chunk && parseChunk(chunk.text);
  if (!chunk || !Array.isArray(docs)) return undefined;
  const lines = chunk.text.split('\n');
  const offset = lines.slice(0, line - chunk.line).reduce((sum, l) => sum + l.length + 1, 0) + character;
  for (const doc of docs) {
    const root = doc.errors.length ? undefined : kubeObject(doc.contents, doc);
    for (const object of root ? expandLists(root) : []) {
      const container = findPodSpec(object)?.containers.find(c => c.node.range && c.node.range[0] <= offset && offset < c.node.range[2]);
      if (!container) continue;
      const position = positionsOf(chunk.text);
      // The item starts its line (after `- ` in a block sequence, or alone in a flow sequence written over lines).
      let start = position(container.node.range![0]);
      let lead = (container.seq.flow ? /^([ \t]*)$/ : /^([ \t]*)-[ \t]+$/).exec(lines[start.line].slice(0, start.character));
      if (!lead) {
        const pair = container.pod.node.items.find(item => item.value === container.seq);
        const key = pair && isScalar(pair.key) ? pair.key : undefined;
        if (!key?.range || !container.seq.flow || container.seq.items.length !== 1) return undefined;
        start = position(key.range[0]);
        lead = /^([ \t]*)$/.exec(lines[start.line].slice(0, start.character));
        if (!lead) return undefined;
      }
      const eol = lines[start.line].endsWith('\r') ? '\r\n' : '\n';
      const at = { line: chunk.line + start.line, character: 0 };
      return { range: { start: at, end: at }, newText: `${lead[1]}# kube-immutable-ignore ${finding.rule} -- ${REASON_PLACEHOLDER}${eol}` };
    }
  }
  return undefined;
}
