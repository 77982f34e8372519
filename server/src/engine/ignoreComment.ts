// The edit behind "Ignore <rule> for this container": a `# kube-immutable-ignore` comment on the line above
// the container's sequence item, indented like it, which is exactly what the comment suppressions cover. A
// container written inline as the only item of `containers: [{...}]` gets the comment above that key instead,
// which covers that one container too.
import { isScalar } from 'yaml';
import { ChunkParse, parseChunk, positionsOf, splitStream } from './analyze';
import { Finding, TextEdit } from './types';
import { expandLists, findPodSpec, kubeObject } from './workloads';

const REASON_PLACEHOLDER = '<reason>';

/** The edit, or undefined when no comment line can cover the finding's container and no other container. */
export function ignoreForContainerEdit(text: string, finding: Pick<Finding, 'rule' | 'range'>): TextEdit | undefined {
  return ignoreForContainerEdits(text, [finding])[0];
}

/** A chunk of the stream as the edits need it: parsed, split into lines, with its positions. */
interface ParsedChunk { line: number; text: string; docs: ReturnType<ChunkParse>; lines: string[]; position: (offset: number) => { line: number; character: number } }

/**
 * `ignoreForContainerEdit` of each finding, the stream split and each chunk parsed once for them all: a code
 * action offers to ignore each finding of the container at the cursor, in a stream of any size. `parse` parses a
 * chunk as the analysis does (a caller may share its parses).
 */
export function ignoreForContainerEdits(text: string, findings: readonly Pick<Finding, 'rule' | 'range'>[], parse: ChunkParse = parseChunk): (TextEdit | undefined)[] {
  if (!findings.length) return [];
  const chunks = splitStream(text);
  const parsed = new Map<number, ParsedChunk>();
  const chunkAt = (line: number): ParsedChunk | undefined => {
    // The last chunk that starts at or before the line.
    let low = 0;
    let high = chunks.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (chunks[middle].line <= line) low = middle + 1;
      else high = middle;
    }
    const chunk = chunks[low - 1];
    if (!chunk) return undefined;
    let known = parsed.get(chunk.line);
    // Parsed as its analysis parsed it: plain YAML without yaml's general parser, which a code action would otherwise
    // run (and compile, the first time) for each finding it offers to ignore.
    if (!known) parsed.set(chunk.line, known = { ...chunk, docs: parse(chunk.text), lines: chunk.text.split('\n'), position: positionsOf(chunk.text) });
    return known;
  };
  return findings.map(finding => {
    const chunk = chunkAt(finding.range.start.line);
    return chunk && Array.isArray(chunk.docs) ? editIn(chunk, finding) : undefined;
  });
}

function editIn({ line: firstLine, docs, lines, position }: ParsedChunk, finding: Pick<Finding, 'rule' | 'range'>): TextEdit | undefined {
  const { line, character } = finding.range.start;
  const offset = lines.slice(0, line - firstLine).reduce((sum, l) => sum + l.length + 1, 0) + character;
  for (const doc of Array.isArray(docs) ? docs : []) {
    const root = doc.errors.length ? undefined : kubeObject(doc.contents, doc);
    for (const object of root ? expandLists(root) : []) {
      const container = findPodSpec(object)?.containers.find(c => c.node.range && c.node.range[0] <= offset && offset < c.node.range[2]);
      if (!container) continue;
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
      const at = { line: firstLine + start.line, character: 0 };
      return { range: { start: at, end: at }, newText: `${lead[1]}# kube-immutable-ignore ${finding.rule} -- ${REASON_PLACEHOLDER}${eol}` };
    }
  }
  return undefined;
}
