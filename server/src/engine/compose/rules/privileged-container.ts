// `privileged: true` gives a service every capability and the host's devices, as for a Kubernetes container.
import { isScalar } from 'yaml';
import { privilegedContainer } from '../../rules/privileged-container';
import { fixOf, offered } from '../../fixes/containerFixes';
import { serviceField, serviceLabel } from '../model';
import { serviceChangeEdits } from '../fixes';
import { ServiceRule } from '../serviceRule';

export const privilegedContainerService: ServiceRule = {
  rule: privilegedContainer,
  checkService(service, context) {
    const field = serviceField(service, 'privileged');
    if (!isScalar(field?.value) || field.value.value !== true) return;
    context.report({ messageId: 'privileged',
      at: field.value,
      message: `${serviceLabel(service)} runs privileged: it gets every capability and the host's devices, so it can remount `
        + 'its read-only root filesystem read-write, load kernel modules and change the host beneath every other container. '
        + 'Remove privileged: true (or set it to false) and add only the capability the app needs with cap_add.',
      fixes: () => offered([fixOf('Set privileged: false', () => serviceChangeEdits(service, { set: { privileged: false } }), true)]),
    });
  },
};
