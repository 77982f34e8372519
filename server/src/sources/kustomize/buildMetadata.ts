// `buildMetadata` of the root kustomization (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/buildmetadata/):
// `originAnnotations` writes where each resource came from (`config.kubernetes.io/origin`: the file it was read
// from, or the generator that made it), `transformerAnnotations` the transformers that ran over it
// (`alpha.config.kubernetes.io/transformations`), paths relative to the root kustomization's directory.
import * as posix from '../posixPath';
import { Origin } from '../origin';
import { Resource, ResourceOrigin } from './resource';
import { ensureMap, KNode, scalar, set } from './tree';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

/** The options the root's `buildMetadata` list names, with the node of each (for the annotations' origins). */
export function readBuildMetadata(node: KNode | undefined): Map<string, KNode> {
  const options = new Map<string, KNode>();
  if (node?.kind === 'seq') for (const item of node.items) if (item.kind === 'scalar' && item.value !== null) options.set(String(item.value), item);
  return options;
}

/** The origin as YAML lines: `path: ...`, or `configuredIn: ...` and the `configuredBy:` map. */
function describe(origin: ResourceOrigin, root: string): string[] {
  if (origin.path) return [`path: ${posix.relative(root, origin.path)}`];
  const by = origin.configuredBy!;
  const lines = [`configuredIn: ${posix.relative(root, origin.configuredIn ?? root)}`, 'configuredBy:', `  apiVersion: ${by.apiVersion}`, `  kind: ${by.kind}`];
  if (by.name) lines.push(`  name: ${by.name}`);
  if (by.namespace) lines.push(`  namespace: ${by.namespace}`);
  return lines;
}

/** Adds the annotations the root's buildMetadata asks for to every resource. */
export function annotateBuild(resources: readonly Resource[], root: string, options: Map<string, KNode>): void {
  const originOf = (option: string): Origin => ({ kind: 'generated', span: options.get(option)!.origins[0].span, via: 'buildMetadata' });
  for (const resource of resources) {
    const annotate = (key: string, text: string, origin: Origin) => {
      set(ensureMap(ensureMap(resource.object, 'metadata', [origin]), 'annotations', [origin]), key, scalar(text, [origin]));
    };
    if (options.has('originAnnotations') && resource.origin) {
      annotate(ORIGIN_ANNOTATION, `${describe(resource.origin, root).join('\n')}\n`, originOf('originAnnotations'));
    }
    if (options.has('transformerAnnotations') && resource.transformations.length > 0) {
      const items = resource.transformations.map((t) => describe(t, root).map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`)).join('\n'));
      annotate(TRANSFORMATIONS_ANNOTATION, `${items.join('\n')}\n`, originOf('transformerAnnotations'));
    }
  }
}
