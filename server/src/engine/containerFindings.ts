// Where a rule puts a finding about a container-level securityContext field, shared by the hardening rules.
import { Node, Pair } from 'yaml';
import { Report } from './rule';
import { ContainerOnlyField } from './securityContext';
import { Container, containerAnchor } from './workloads';
import { findPair } from './yamlNodes';

/** For a field the container lacks: its `securityContext` key, else its `name:` pair. */
export function missingFieldAnchor(container: Container): Node | Pair {
  return container.securityContextPair?.key ?? containerAnchor(container);
}

/** Related information when the field sits in the pod securityContext, where Kubernetes ignores it. */
export function ignoredAtPodLevel(container: Container, field: ContainerOnlyField): Report['related'] {
  const pair = findPair(container.pod.securityContext, field);
  return pair ? [{ at: pair, message: `${field} is set here, in the pod securityContext, where Kubernetes ignores it.` }] : undefined;
}
