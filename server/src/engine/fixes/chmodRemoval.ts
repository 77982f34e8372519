// Removing a chmod hack from a container: the chmod part of a shell command line (`chmod a-w -R / && nginx`
// becomes `nginx`), or the whole probe or hook when the chmod is all it runs.
import { isMap, isScalar, Node, Scalar } from 'yaml';
import { OffsetEdit } from '../rule';
import { ChmodHackSite, findChmodHacks, shellCommandSpans } from '../chmodCommands';
import { Container } from '../workloads';
import { findPair, getMap } from '../yamlNodes';
import { editorFor, Unfixable, YamlEditor } from './yamlEdits';

/** Arguments that only start a shell for the command after them: `sh`, `/bin/bash`, `-c`, `-ec` (the letters before the first `c` exclude it, so the pattern cannot backtrack). */
const SHELL_LAUNCHER = /^(?:\/(?:usr\/)?bin\/)?(?:ba|da|a)?sh$|^-[abd-z]*c[a-z]*$/;

interface Segment { start: number; end: number; hack: boolean }

/** Where the text of a scalar's value sits in its source: inside the quotes, below a `|` header. */
function valueBounds(source: string): [number, number] {
  if (source.startsWith('"') || source.startsWith('\'')) return [1, source.length - 1];
  if (source.startsWith('|')) return [source.indexOf('\n') + 1, source.length];
  if (/^[>|]/.test(source)) throw new Unfixable('a folded block scalar');
  return [0, source.length];
}

/** The shell commands of a scalar's source, split at `&&`, `||`, `;`, `|` and (in a literal block) line breaks. */
function segments(source: string, hacks: ReadonlySet<string>): Segment[] {
  const [from, to] = valueBounds(source);
  const inner = source.slice(from, to);
  if (!source.startsWith('|') && inner.includes('\n')) throw new Unfixable('a folded multi-line scalar');
  const result: Segment[] = [];
  for (const [start, end] of shellCommandSpans(inner)) {
    const text = inner.slice(start, end);
    const lead = text.length - text.trimStart().length;
    if (text.trim()) result.push({ start: from + start + lead, end: from + start + text.trimEnd().length, hack: findChmodHacks(text).some(call => hacks.has(call.text)) });
  }
  return result;
}

/** Edits that drop the hack segments with one separator each; undefined when nothing else would be left. */
export function segmentRemovals(editor: YamlEditor, node: Scalar, site: ChmodHackSite): OffsetEdit[] | undefined {
  const [start, end] = node.range!;
  const all = segments(editor.text.slice(start, end), new Set(site.calls.map(call => call.text)));
  if (all.every(segment => segment.hack)) return undefined;
  const edits: OffsetEdit[] = [];
  for (let i = 0; i < all.length; i++) {
    if (!all[i].hack) continue;
    let j = i;
    while (j + 1 < all.length && all[j + 1].hack) j++;
    const next = all[j + 1];
    edits.push(next
      ? editor.editScalar(node, all[i].start, next.start, '')
      : editor.editScalar(node, all[i - 1].end, all[j].end, ''));
    i = j;
  }
  return edits;
}

/** Removes the probe or hook that runs the command; a `lifecycle` left empty goes too. */
function removeOwner(editor: YamlEditor, container: Container, site: ChmodHackSite): OffsetEdit {
  const { doc } = container.pod.object;
  if (site.owner.length === 0) throw new Unfixable('the container\'s own command is only the chmod');
  if (site.owner.length === 1) return editor.removePair(container.node, findPair(container.node, site.owner[0])!);
  const lifecycle = getMap(container.node, 'lifecycle', doc);
  if (!isMap(lifecycle)) throw new Unfixable('lifecycle is not a map');
  if (lifecycle.items.length === 1) return editor.removePair(container.node, findPair(container.node, 'lifecycle')!);
  return editor.removePair(lifecycle, findPair(lifecycle, site.owner[1])!);
}

export function chmodRemoval(container: Container, text: string, site: ChmodHackSite): OffsetEdit[] {
  const editor = editorFor(text, container.pod.object.doc);
  if (site.nodes.length === 1 && isScalar(site.nodes[0])) {
    const removals = segmentRemovals(editor, site.nodes[0], site);
    if (removals) return removals;
  }
  const others = site.items.filter(item => !site.nodes.includes(item));
  const onlyLaunchers = others.every((item: Node) => isScalar(item) && SHELL_LAUNCHER.test(String(item.value)));
  if (!onlyLaunchers) throw new Unfixable('the chmod shares its command with other arguments');
  return [removeOwner(editor, container, site)];
}
