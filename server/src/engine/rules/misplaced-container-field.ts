import { docsUrl, messagesOf, Rule } from '../rule';
import { CONTAINER_ONLY_FIELDS } from '../securityContext';
import { findPair } from '../yamlNodes';
import { fixOf, offered } from '../fixes/containerFixes';
import { moveToContainers } from '../fixes/moveToContainers';

const id = 'misplaced-container-field';

export const misplacedContainerField: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Container-only securityContext fields placed in the pod securityContext, where Kubernetes ignores them.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, { 'container-only-field': 'A field that exists only in a container\'s securityContext is set in the pod securityContext.' }),
  },
  checkPod(pod, context) {
    for (const field of CONTAINER_ONLY_FIELDS) {
      const pair = findPair(pod.securityContext, field);
      if (!pair) continue;
      context.report({
        at: pair.key,
        messageId: 'container-only-field',
        message: `${field} exists only in a container's securityContext: Kubernetes drops it from the pod securityContext, `
          + `so no container gets it and the pod runs less locked down than it reads. Move it into the securityContext of every container.`,
        fixes: () => offered([fixOf(`Move ${field} into the securityContext of every container`, () => moveToContainers(pod, pair, context.text), true)]),
      });
    }
  },
};
