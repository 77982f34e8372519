// The obvious edit of each hardening rule: set the field the rule asks for, drop a capability, mount read-only.
import { isMap, isSeq, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { FixSpec, OffsetEdit } from '../rule';
import { Setting } from '../securityContext';
import { Container } from '../workloads';
import { findPair } from '../yamlNodes';
import { changeEdits, fixOf, hardened } from './containerFixes';
import { EngineOptions } from '../rule';
import { containerLabel } from '../messages';
import { rootImageCaveat } from '../knowledge/rootImages';
import { ValueMap } from './render';
import { editorFor, Unfixable } from './yamlEdits';

/**
 * `Set <field>: <value>` in the container's securityContext (created when absent); the preferred fix unless
 * `caveat` says why applying it blindly would stop the container from starting.
 */
export function securityContextFix(container: Container, text: string, fields: ValueMap, caveat?: string): FixSpec | undefined {
  const title = `Set ${Object.entries(fields).map(([field, value]) => `${field}: ${value}`).join(', ')}${caveat ? ` (${caveat})` : ''}`;
  return fixOf(title, () => changeEdits(container, text, { container: { securityContext: fields }, pod: {} }), !caveat);
}

/** Sets a field where it is written already, at pod or container level. */
export function settingFix(container: Container, text: string, setting: Setting, value: boolean, caveat?: string): FixSpec | undefined {
  const field = String(setting.pair.key.value);
  const map = setting.level === 'pod' ? container.pod.securityContext : container.securityContext;
  return fixOf(`Set ${field}: ${value}${caveat ? ` (${caveat})` : ''}`, () => {
    if (!map) throw new Unfixable('no securityContext map');
    return editorFor(text, container.pod.object.doc).merge(map, { [field]: value });
  }, !caveat);
}

/**
 * "Harden this container": the restricted Pod Security Standard in one edit (see `hardened`), offered on the
 * readonly-root-filesystem finding and on those of the hardening rules that it clears. Never preferred; its title
 * says when the image is known to run as root, which the standard does not allow.
 */
export function hardenFix(container: Container, text: string, options: EngineOptions): FixSpec | undefined {
  if (container.pod.windows) return undefined;
  // Up to four findings of one container offer it: computed once. A container belongs to one analysis, of one
  // text with one set of options.
  if (hardenFixes.has(container)) return hardenFixes.get(container);
  const caveat = rootImageCaveat(container);
  const title = `Harden ${containerLabel(container).replace(/^./, c => c.toLowerCase())} to the restricted Pod Security Standard${caveat ? ` (${caveat})` : ''}`;
  const fix = fixOf(title, () => changeEdits(container, text, hardened(container, options)));
  hardenFixes.set(container, fix);
  return fix;
}

const hardenFixes = new WeakMap<Container, FixSpec | undefined>();

/**
 * Removes one item of `capabilities.add`; an `add` list left empty goes, and `capabilities` and the
 * securityContext with it when they held nothing else, so no empty collection is left behind.
 */
export function removeCapabilityFix(container: Container, text: string, item: Scalar): FixSpec | undefined {
  return fixOf(`Remove ${String(item.value)} from capabilities.add`, () => {
    const editor = editorFor(text, container.pod.object.doc);
    const securityContext = container.securityContext;
    const capabilitiesPair = findPair(securityContext, 'capabilities');
    const capabilities = capabilitiesPair?.value;
    const addPair = isMap(capabilities) ? findPair(capabilities, 'add') : undefined;
    const add = addPair?.value;
    if (!securityContext || !isMap(capabilities) || !addPair || !isSeq(add)) throw new Unfixable('capabilities through an alias');
    return [removal(editor, [[container.node, securityContext], [securityContext, capabilities], [capabilities, add], [add, item]])];
  }, true);
}

type Step = [YAMLMap | YAMLSeq, Node];

/** Removes the innermost node of a chain (parent, child), or the outermost parent that it would leave empty. */
function removal(editor: ReturnType<typeof editorFor>, chain: Step[]): OffsetEdit {
  let at = chain.length - 1;
  while (at > 0 && chain[at][0].items.length === 1) at--;
  const [parent, child] = chain[at];
  if (isSeq(parent)) return editor.removeItem(parent, parent.items.indexOf(child));
  const pair = parent.items.find(candidate => candidate.value === child);
  if (!pair) throw new Unfixable('no pair holds the node');
  return editor.removePair(parent, pair);
}

/** `readOnly: true` on a volumeMount. */
export function readOnlyMountFix(container: Container, text: string, mount: YAMLMap): FixSpec | undefined {
  return fixOf('Set readOnly: true on the volumeMount', () => editorFor(text, container.pod.object.doc).merge(mount, { readOnly: true }), true);
}
