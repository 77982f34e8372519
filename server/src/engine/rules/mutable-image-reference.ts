// An image reference without a digest names whatever the registry serves today: `latest` (or no tag, which
// means `latest`) moves with every push, so two pods of one Deployment can run different code and a rollback
// brings back nothing. A version tag moves less often but can still be pushed again; only a digest cannot.
import { isScalar, Scalar } from 'yaml';
import { docsUrl, messagesOf, Rule } from '../rule';
import { containerLabel } from '../messages';
import { familiarName, ImageReference, parseImageReference } from '../imageReference';
import { Container } from '../workloads';
import { getNode } from '../yamlNodes';

const id = 'mutable-image-reference';

export type ImageProblemKind = 'untagged' | 'latest' | 'tag-only';

export interface ImageProblem {
  kind: ImageProblemKind;
  /** The `image:` value. */
  node: Scalar;
  reference: ImageReference;
  /** Offsets in the parsed text of the image string as written (inside any quotes). */
  imageSpan: [number, number];
  /** Offsets of `:tag` in the parsed text, when there is a tag. */
  tagSpan?: [number, number];
}

/** Where the reference's characters sit in the text: quotes and escapes are allowed for, else the whole node. */
function imageSpan(node: Scalar, raw: string, text: string): [number, number] {
  const [start, end] = node.range!;
  const at = text.slice(start, end).indexOf(raw);
  return at < 0 ? [start, end] : [start + at, start + at + raw.length];
}

export function imageProblem(container: Container, text: string): ImageProblem | undefined {
  // An alias is followed: the finding sits on the anchored value, which is what a fix must change.
  return imageProblemOf(getNode(container.node, 'image', container.pod.object.doc), text);
}

/** The problem of an `image:` value (a container's or a Compose service's), or undefined when it is pinned. */
export function imageProblemOf(node: unknown, text: string): ImageProblem | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const reference = parseImageReference(node.value);
  if (!reference || reference.digest !== undefined) return undefined;
  const span = imageSpan(node, reference.raw, text);
  const exact = span[1] - span[0] === reference.raw.length;
  const tagSpan: [number, number] | undefined = reference.tagOffset !== undefined && exact
    ? [span[0] + reference.tagOffset, span[0] + reference.tagOffset + 1 + reference.tag!.length]
    : undefined;
  const kind: ImageProblemKind = reference.tag === undefined ? 'untagged' : reference.tag === 'latest' ? 'latest' : 'tag-only';
  return { kind, node, reference, imageSpan: span, tagSpan };
}

export const mutableImageReference: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Images are referenced by a version tag or, better, a digest, so the code a pod runs cannot change under it.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      latest: 'The image has the tag latest.',
      'no-tag': 'The image has no tag, which means latest.',
      'tag-only': 'The image has a tag but no digest (a hint).',
    }),
  },
  checkContainer(container, context) {
    const problem = imageProblem(container, context.text);
    if (!problem) return;
    const who = containerLabel(container);
    const name = familiarName(problem.reference);
    if (problem.kind === 'tag-only') {
      context.report({
        at: problem.tagSpan ?? problem.imageSpan,
        messageId: 'tag-only',
        container,
        severity: 'hint',
        message: `${who} pins ${name} by the tag ${problem.reference.tag} only: a tag can be pushed again, so the image can still change. `
          + 'Add its digest (@sha256:...) to pin the exact image.',
      });
      return;
    }
    const stated = problem.kind === 'latest' ? `uses the image ${name} with the tag latest` : `uses the image ${name} without a tag, which means latest`;
    context.report({
      at: problem.kind === 'latest' && problem.tagSpan ? problem.tagSpan : problem.imageSpan,
      messageId: problem.kind === 'latest' ? 'latest' : 'no-tag',
      container,
      message: `${who} ${stated}: latest moves with every push, so pods of one workload can run different code and a rollback `
        + 'brings back nothing. Reference a version tag, or better a digest (@sha256:...).',
    });
  },
};
