import { containerAnchor } from '../workloads';
import { docsUrl, Rule } from '../rule';
import { findPair } from '../yamlNodes';
import { containerLabel } from '../messages';

const id = 'readonly-root-filesystem';

export const readonlyRootFilesystem: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Containers run with a read-only root filesystem, so nothing in the image can change while it runs.',
    docsUrl: docsUrl(id),
  },
  checkContainer(container, context) {
    const setting = container.effective.readOnlyRootFilesystem;
    if (setting?.value === true) return;
    const ignoredAtPod = findPair(container.pod.securityContext, 'readOnlyRootFilesystem');
    const related = ignoredAtPod
      ? [{ at: ignoredAtPod, message: 'readOnlyRootFilesystem is set here, in the pod securityContext, where Kubernetes ignores it.' }]
      : undefined;
    const who = containerLabel(container);
    const why = 'anything in the container can then rewrite the image\'s files at run time, so the running container drifts from the image it was started from';
    const fix = 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes at the paths the app must write.';
    if (setting) {
      const stated = setting.value === false ? 'sets readOnlyRootFilesystem: false' : 'sets readOnlyRootFilesystem to a value that is not the boolean true';
      context.report({ at: setting.node ?? setting.pair, container, related, message: `${who} ${stated}: ${why}. ${fix}` });
      return;
    }
    context.report({
      at: container.securityContextPair?.key ?? containerAnchor(container),
      container,
      related,
      message: `${who} does not set readOnlyRootFilesystem: true: ${why}. ${fix}`,
    });
  },
};
