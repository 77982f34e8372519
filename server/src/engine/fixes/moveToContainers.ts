// Moving a container-only field out of the pod securityContext, where Kubernetes drops it, into the
// securityContext of every container that does not set the field itself.
import { isAlias, Node, Pair } from 'yaml';
import { OffsetEdit } from '../rule';
import { PodSpec } from '../workloads';
import { findPair } from '../yamlNodes';
import { Value } from './render';
import { editorFor, Unfixable } from './yamlEdits';

export function moveToContainers(pod: PodSpec, pair: Pair, text: string): OffsetEdit[] {
  const editor = editorFor(text, pod.object.doc);
  const field = String((pair.key as { value: unknown }).value);
  if (isAlias(pair.value) || !pod.securityContext || !pod.securityContextPair) throw new Unfixable('an alias');
  const value = (pair.value as Node | null)?.toJSON() as Value | null;
  if (value === null || value === undefined) throw new Unfixable('an empty value');
  // With no container to take it (a container list of the wrong type), the move would only delete the setting.
  if (!pod.containers.length) throw new Unfixable('no container to move it into');
  // The whole securityContext goes when the field is all it holds, so no empty map is left behind.
  const removal = pod.securityContext.items.length === 1
    ? editor.removePair(pod.node, pod.securityContextPair)
    : editor.removePair(pod.securityContext, pair);
  const additions = pod.containers
    .filter(container => !findPair(container.securityContext, field))
    .flatMap(container => editor.merge(container.node, { securityContext: { [field]: value } }, { removed: [removal] }));
  return [...additions, removal];
}
