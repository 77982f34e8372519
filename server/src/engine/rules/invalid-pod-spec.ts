// A workload whose pod spec has the wrong shape (`spec:` a list, `containers:` a map) is rejected by the API
// server, and no other rule can see its containers: without this rule such a manifest would pass in silence.
import { isMap, isScalar, isSeq, Node, Pair } from 'yaml';
import { docsUrl, messagesOf, Rule, RuleContext } from '../rule';
import { CONTAINER_LISTS, KubeObject, podSpecPath } from '../workloads';
import { deref, findPair, seqItems } from '../yamlNodes';

const id = 'invalid-pod-spec';

/** What a node is, in YAML's words; undefined for null (an empty value, which Kubernetes reads as absent). */
function yamlType(node: unknown): string | undefined {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return undefined;
    return typeof node.value === 'string' ? `the string ${JSON.stringify(node.value)}` : `the ${typeof node.value} ${String(node.value)}`;
  }
  return undefined;
}

function where(object: KubeObject): string {
  return `${object.kind} "${object.resource.name ?? ''}"`;
}

const CONSEQUENCE = 'the API server rejects it, and no check can see the containers it should hold';

export const invalidPodSpec: Rule = {
  meta: {
    id,
    defaultSeverity: 'error',
    description: 'A workload\'s spec, pod template, container list or container has the wrong YAML type, so Kubernetes rejects it.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      'not-a-map': 'spec, template or jobTemplate on the way to the pod spec is not a map.',
      'containers-not-a-list': 'containers, initContainers or ephemeralContainers is not a list.',
      'container-not-a-map': 'An item of a container list is not a map.',
    }),
  },
  checkObject(object, context) {
    const path = podSpecPath(object.kind);
    if (!path) return;
    let parent: Node = object.node;
    const walked: string[] = [];
    for (const key of path) {
      const pair = findPair(parent, key);
      walked.push(key);
      if (!pair) return;
      const node = deref(pair.value, object.doc);
      const type = yamlType(node);
      if (!type) return;
      if (!isMap(node)) {
        context.report({
          at: (pair.value as Node | null) ?? pair,
          messageId: 'not-a-map',
          message: `${walked.join('.')} of ${where(object)} is ${type}, not a map: ${CONSEQUENCE}. Write it as a map of its fields.`,
        });
        return;
      }
      parent = node;
    }
    checkContainerLists(parent, object, `${path.join('.')}`, context);
  },
};

function checkContainerLists(spec: Node, object: KubeObject, at: string, context: RuleContext): void {
  for (const list of CONTAINER_LISTS) {
    const pair = findPair(spec, list) as Pair | undefined;
    const node = deref(pair?.value, object.doc);
    const type = yamlType(node);
    if (!pair || !type) continue;
    if (!isSeq(node)) {
      context.report({
        at: (pair.value as Node | null) ?? pair,
        messageId: 'containers-not-a-list',
        message: `${at}.${list} of ${where(object)} is ${type}, not a list: ${CONSEQUENCE}. Write each container as an item (- name: ...).`,
      });
      continue;
    }
    seqItems(node, object.doc).forEach((item, index) => {
      const itemType = yamlType(item);
      if (!itemType || isMap(item)) return;
      context.report({
        at: node.items[index] as Node,
        messageId: 'container-not-a-map',
        message: `Item ${index + 1} of ${at}.${list} of ${where(object)} is ${itemType}, not a container: ${CONSEQUENCE}. Write it as a map (name, image, ...).`,
      });
    });
  }
}
