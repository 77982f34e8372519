// `cap_drop` and `cap_add` are Compose's capabilities.drop and .add; Docker's default set is the one the
// Kubernetes rule knows (knowledge/capabilities.ts), so a service keeps it unless it drops ALL.
import { isScalar, isSeq, Scalar } from 'yaml';
import { capabilities, keptWhy } from '../../rules/capabilities';
import { ALLOWED_CAPABILITY, normalizeCapability as normalizeName, RUNTIME_DEFAULT_CAPABILITIES } from '../../knowledge/capabilities';
import { fixOf, offered } from '../../fixes/containerFixes';
import { literalString, missingKeyAt, ServiceField, serviceField, serviceLabel, serviceListItems } from '../model';
import { fileEditor, hardenServiceFix, serviceChangeEdits, switcherCaveat } from '../fixes';
import { ServiceRule } from '../serviceRule';

const ALL = 'ALL';

/** Docker also takes the kernel's names, `CAP_CHOWN` for `CHOWN`. */
const normalizeCapability = (name: string) => normalizeName(name).replace(/^CAP_/, '');

/** Removes one item of `cap_add`, or the whole key when it is the only item. */
function removeCapability(field: ServiceField, item: Scalar) {
  return fixOf(`Remove ${String(item.value)} from cap_add`, () => {
    const { editor, tag } = fileEditor(field.file);
    const seq = field.value;
    if (!isSeq(seq) || seq.items.length === 1) return tag([editor.removePair(field.owner, field.pair)]);
    return tag([editor.removeItem(seq, seq.items.indexOf(item))]);
  }, true);
}

export const capabilitiesService: ServiceRule = {
  rule: capabilities,
  checkService(service, context) {
    const who = serviceLabel(service);
    for (const { node, field } of serviceListItems(service, 'cap_add')) {
      const text = literalString(node);
      if (text === undefined || !isScalar(node)) continue;
      const name = normalizeCapability(text);
      if (name === ALLOWED_CAPABILITY) continue;
      const what = name === ALL ? 'adds every capability (ALL)' : `adds the capability ${name}`;
      context.report({ messageId: 'added',
        at: node,
        message: `${who} ${what}: each capability is a piece of root's power (CHOWN, DAC_OVERRIDE and FOWNER let a process rewrite any file `
          + `of the image; SYS_ADMIN can remount it read-write). Remove it from cap_add; only ${ALLOWED_CAPABILITY} is safe to add back.`,
        fixes: () => offered([removeCapability(field, node as Scalar)]),
      });
    }
    if (service.partial) return;
    const dropped = serviceListItems(service, 'cap_drop').map(({ node }) => literalString(node));
    if (dropped.some(text => text === undefined || normalizeCapability(text) === ALL)) return;
    const kept = RUNTIME_DEFAULT_CAPABILITIES.filter(cap => cap !== ALLOWED_CAPABILITY && !dropped.some(text => normalizeCapability(text!) === cap));
    if (!kept.length) return;
    const keptText = kept.length === RUNTIME_DEFAULT_CAPABILITIES.length - 1 ? 'the runtime\'s defaults' : `the default capabilities ${kept.join(', ')}`;
    const caveat = switcherCaveat(service);
    const switchNote = caveat
      ? ` ${service.image} starts as root and switches user, which needs SETUID and SETGID: run a variant built for a non-root user first.`
      : '';
    context.report({ messageId: 'not-dropped',
      at: serviceField(service, 'cap_drop')?.pair.key ?? missingKeyAt(service, 'cap_drop'),
      message: `${who} does not drop ALL capabilities, so it keeps ${keptText}: ${keptWhy(kept)}. Set cap_drop: [ALL] and add back only what the app needs with cap_add.${switchNote}`,
      fixes: () => offered([
        fixOf(`Drop ALL capabilities${caveat ? ` (${caveat})` : ''}`, () => serviceChangeEdits(service, { set: { cap_drop: [ALL] } }), !caveat),
        hardenServiceFix(service, context.options),
      ]),
    });
  },
};
