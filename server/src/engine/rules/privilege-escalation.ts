// allowPrivilegeEscalation defaults to true: a setuid binary (or file capabilities) in the image can then
// raise a process above the user it started as, back to the powers the rest of the securityContext removed.
import { docsUrl, messagesOf, Rule } from '../rule';
import { containerLabel } from '../messages';
import { ignoredAtPodLevel, missingFieldAnchor } from '../containerFindings';
import { offered } from '../fixes/containerFixes';
import { hardenFix, securityContextFix, settingFix } from '../fixes/hardeningFixes';

const id = 'privilege-escalation';

export const privilegeEscalation: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Containers set allowPrivilegeEscalation: false, so no process can gain more privileges than it started with.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      allowed: 'allowPrivilegeEscalation is set to true, or to a value that is not the boolean false.',
      'not-set': 'allowPrivilegeEscalation is not set, and Kubernetes defaults it to true.',
    }),
  },
  checkContainer(container, context) {
    // The Pod Security Standards skip this Linux-only control for Windows pods.
    if (container.pod.windows) return;
    const setting = container.effective.allowPrivilegeEscalation;
    if (setting?.value === false) return;
    const why = 'a setuid binary in the image can then give a process root\'s powers back, undoing the rest of the securityContext';
    const fix = 'Set securityContext.allowPrivilegeEscalation: false.';
    const who = containerLabel(container);
    if (setting) {
      const stated = setting.value === true ? 'sets allowPrivilegeEscalation: true' : 'sets allowPrivilegeEscalation to a value that is not the boolean false';
      context.report({ at: setting.node ?? setting.pair, messageId: 'allowed', container, message: `${who} ${stated}: ${why}. ${fix}`, fixes: () => offered([settingFix(container, context.text, setting, false), hardenFix(container, context.text, context.options)]) });
      return;
    }
    context.report({
      at: missingFieldAnchor(container),
      messageId: 'not-set',
      container,
      related: ignoredAtPodLevel(container, 'allowPrivilegeEscalation'),
      message: `${who} does not set allowPrivilegeEscalation: false, and Kubernetes defaults it to true: ${why}. ${fix}`,
      fixes: () => offered([securityContextFix(container, context.text, { allowPrivilegeEscalation: false }), hardenFix(container, context.text, context.options)]),
    });
  },
};
