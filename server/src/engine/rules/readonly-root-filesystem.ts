import { Container } from '../workloads';
import { docsUrl, EngineOptions, FixSpec, messagesOf, Rule } from '../rule';
import { containerLabel } from '../messages';
import { ignoredAtPodLevel, missingFieldAnchor } from '../containerFindings';
import { hardenFix } from '../fixes/hardeningFixes';
import { changeEdits, fixOf, missingWritePaths, offered, pathList, READ_ONLY_ROOT, readOnlyRootWithWritePaths } from '../fixes/containerFixes';

const id = 'readonly-root-filesystem';

/**
 * Set the field; for an image whose write paths are known, set it and mount emptyDir volumes there (preferred,
 * since the bare setting would make it crash at start-up); or harden the container to the restricted standard.
 */
function fixes(container: Container, text: string, options: EngineOptions): FixSpec[] {
  const paths = missingWritePaths(container, options).map(entry => entry.path);
  return offered([
    paths.length ? fixOf(`Set readOnlyRootFilesystem: true and mount emptyDir volumes at ${pathList(paths)}`,
      () => changeEdits(container, text, readOnlyRootWithWritePaths(container, options)), true) : undefined,
    fixOf('Set readOnlyRootFilesystem: true', () => changeEdits(container, text, READ_ONLY_ROOT), !paths.length),
    hardenFix(container, text, options),
  ]);
}

export const readonlyRootFilesystem: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Containers run with a read-only root filesystem, so nothing in the image can change while it runs.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      'set-false': 'readOnlyRootFilesystem is set to false, or to a value that is not the boolean true.',
      'not-set': 'readOnlyRootFilesystem is not set, and Kubernetes defaults it to false.',
    }),
  },
  checkContainer(container, context) {
    const setting = container.effective.readOnlyRootFilesystem;
    if (setting?.value === true) return;
    const related = ignoredAtPodLevel(container, 'readOnlyRootFilesystem');
    const who = containerLabel(container);
    const why = 'anything in the container can then rewrite the image\'s files, and the running container drifts from its image';
    const fix = 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes at the paths the app must write.';
    if (setting) {
      const stated = setting.value === false ? 'sets readOnlyRootFilesystem: false' : 'sets readOnlyRootFilesystem to a value that is not the boolean true';
      context.report({ at: setting.node ?? setting.pair, messageId: 'set-false', container, related, message: `${who} ${stated}: ${why}. ${fix}`, fixes: () => fixes(container, context.text, context.options) });
      return;
    }
    context.report({
      at: missingFieldAnchor(container),
      messageId: 'not-set',
      container,
      related,
      message: `${who} does not set readOnlyRootFilesystem: true: ${why}. ${fix}`,
      fixes: () => fixes(container, context.text, context.options),
    });
  },
};
