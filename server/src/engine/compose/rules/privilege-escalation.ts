// Docker lets a process gain privileges (setuid binaries, file capabilities) unless `no-new-privileges` is set,
// the same default and the same fix as allowPrivilegeEscalation. https://docs.docker.com/reference/cli/docker/container/run/#security-opt
import { isScalar, Scalar } from 'yaml';
import { privilegeEscalation } from '../../rules/privilege-escalation';
import { fixOf, offered } from '../../fixes/containerFixes';
import { literalString, missingKeyAt, serviceField, serviceLabel, serviceListItems } from '../model';
import { fileEditor, hardenServiceFix, NO_NEW_PRIVILEGES, serviceChangeEdits, setsNoNewPrivileges } from '../fixes';
import { ServiceRule } from '../serviceRule';

const WHY = 'a setuid binary in the image can then give a process root\'s powers back, undoing the rest of the hardening';

export const privilegeEscalationService: ServiceRule = {
  rule: privilegeEscalation,
  checkService(service, context) {
    const options = serviceListItems(service, 'security_opt');
    const texts = options.map(({ node }) => literalString(node));
    if (texts.some(text => text === undefined || setsNoNewPrivileges(text))) return;
    const who = serviceLabel(service);
    const off = options.find(({ node }) => /^no-new-privileges[:=]/.test(literalString(node)!.trim()));
    if (off && isScalar(off.node)) {
      const node = off.node as Scalar;
      context.report({ messageId: 'allowed',
        at: node,
        message: `${who} sets ${literalString(node)} in security_opt: ${WHY}. Set no-new-privileges:true.`,
        fixes: () => offered([fixOf(`Set ${NO_NEW_PRIVILEGES}`, () => {
          const [start, end] = node.range!;
          const { editor, tag } = fileEditor(off.field.file);
          const quoted = editor.text[start] === '"' || editor.text[start] === "'";
          // The text between the quotes, if any, becomes the setting; the quotes stay as written.
          return tag([editor.editScalar(node, quoted ? 1 : 0, end - start - (quoted ? 1 : 0), NO_NEW_PRIVILEGES)]);
        }, true)]),
      });
      return;
    }
    if (service.partial) return;
    const field = serviceField(service, 'security_opt');
    context.report({ messageId: 'not-set',
      at: field?.pair.key ?? missingKeyAt(service, 'security_opt'),
      message: `${who} does not set no-new-privileges:true in security_opt, and Docker lets processes gain privileges by default: ${WHY}. `
        + 'Add no-new-privileges:true to security_opt.',
      fixes: () => offered([
        fixOf(`Add ${NO_NEW_PRIVILEGES} to security_opt`, () => serviceChangeEdits(service, { set: { security_opt: [NO_NEW_PRIVILEGES] } }), true),
        hardenServiceFix(service, context.options),
      ]),
    });
  },
};
