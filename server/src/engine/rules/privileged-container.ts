// A privileged container holds every capability and the host's devices: it can remount its read-only root
// filesystem read-write and change the node under every other container.
import { docsUrl, messagesOf, Rule } from '../rule';
import { containerLabel } from '../messages';
import { offered } from '../fixes/containerFixes';
import { settingFix } from '../fixes/hardeningFixes';

const id = 'privileged-container';

export const privilegedContainer: Rule = {
  meta: {
    id,
    defaultSeverity: 'error',
    description: 'Containers do not run privileged, so they cannot undo their own lockdown or change the node.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, { privileged: 'The container sets privileged: true.' }),
  },
  checkContainer(container, context) {
    const setting = container.effective.privileged;
    if (setting?.value !== true) return;
    context.report({
      at: setting.node ?? setting.pair,
      messageId: 'privileged',
      container,
      message: `${containerLabel(container)} runs privileged: it gets every capability and the host's devices, so it can remount `
        + 'its read-only root filesystem read-write, load kernel modules and change the node beneath every other container. '
        + 'Remove privileged: true (or set it to false) and add only the capability the app needs.',
      fixes: () => offered([settingFix(container, context.text, setting, false)]),
    });
  },
};
