// Capabilities are root's powers in pieces: CHOWN, DAC_OVERRIDE and FOWNER alone let a process rewrite any
// file of the image whatever its owner and mode. A container keeps the runtime's default set unless it
// drops it, so the rule looks at what the container ends up with, not at what it writes.
import { isMap, isScalar, Node, Pair, Scalar, YAMLSeq } from 'yaml';
import { docsUrl, messagesOf, Rule } from '../rule';
import { containerLabel } from '../messages';
import { Container } from '../workloads';
import { findPair, getSeq, seqItems } from '../yamlNodes';
import { ignoredAtPodLevel, missingFieldAnchor } from '../containerFindings';
import { ALLOWED_CAPABILITY, normalizeCapability, RUNTIME_DEFAULT_CAPABILITIES } from '../knowledge/capabilities';
import { changeEdits, fixOf, offered } from '../fixes/containerFixes';
import { hardenFix, removeCapabilityFix } from '../fixes/hardeningFixes';
import { rootImage } from '../knowledge/rootImages';

const id = 'capabilities';
const ALL = 'ALL';

export interface CapabilityList {
  pair?: Pair<Scalar, unknown>;
  seq?: YAMLSeq;
  /** The items as written, with their normalised names. */
  items: { node: Scalar; name: string }[];
}

export interface ContainerCapabilities {
  /** The `capabilities:` pair of the container's securityContext. */
  pair?: Pair<Scalar, unknown>;
  add: CapabilityList;
  drop: CapabilityList;
  /** Capabilities of the runtime's default set that the container keeps (NET_BIND_SERVICE aside). */
  keptDefaults: readonly string[];
}

function capabilityList(capabilities: Node | undefined, key: string, container: Container): CapabilityList {
  const { doc } = container.pod.object;
  const seq = getSeq(capabilities, key, doc);
  const items = seqItems(seq, doc)
    .filter((node): node is Scalar => isScalar(node) && typeof node.value === 'string')
    .map(node => ({ node, name: normalizeCapability(node.value as string) }));
  return { pair: findPair(capabilities, key), seq, items };
}

/** What a container without a capabilities map has: no lists, and every default kept. */
const NO_LIST: CapabilityList = Object.freeze({ items: [] });
const DEFAULTS_KEPT: readonly string[] = Object.freeze(RUNTIME_DEFAULT_CAPABILITIES.filter(cap => cap !== ALLOWED_CAPABILITY));

export function containerCapabilities(container: Container): ContainerCapabilities {
  const setting = container.effective.capabilities;
  const map = isMap(setting?.node) ? setting.node : undefined;
  // Most containers of a stream that needs this rule have none: they share what they keep.
  if (!map) return { pair: setting?.pair, add: NO_LIST, drop: NO_LIST, keptDefaults: DEFAULTS_KEPT };
  const add = capabilityList(map, 'add', container);
  const drop = capabilityList(map, 'drop', container);
  const dropped = new Set(drop.items.map(item => item.name));
  const keptDefaults = dropped.has(ALL) ? [] : RUNTIME_DEFAULT_CAPABILITIES.filter(cap => cap !== ALLOWED_CAPABILITY && !dropped.has(cap));
  return { pair: setting?.pair, add, drop, keptDefaults };
}

/** The capabilities of the default set that override file ownership and modes. */
const FILE_POWERS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'];

export function keptWhy(kept: readonly string[]): string {
  if (kept === DEFAULTS_KEPT) return DEFAULTS_KEPT_WHY;
  const filePowers = FILE_POWERS.filter(cap => kept.includes(cap));
  return filePowers.length
    ? `with ${filePowers.join(' or ')} a process can rewrite the image's files whatever their owner and mode`
    : 'each is a piece of root\'s power that a process in the container can use, and none is needed by most apps';
}

const DEFAULTS_KEPT_WHY = keptWhy([...DEFAULTS_KEPT]);

export const capabilities: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Containers drop ALL capabilities and add back at most NET_BIND_SERVICE, so no process holds root\'s powers over files.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      added: 'capabilities.add names a capability other than NET_BIND_SERVICE.',
      'not-dropped': 'capabilities.drop does not name ALL, so the container keeps the runtime\'s default capabilities.',
    }),
  },
  checkContainer(container, context) {
    // The Pod Security Standards skip this Linux-only control for Windows pods.
    if (container.pod.windows) return;
    const who = containerLabel(container);
    const caps = containerCapabilities(container);
    for (const { node, name } of caps.add.items) {
      if (name === ALLOWED_CAPABILITY) continue;
      const what = name === ALL ? 'adds every capability (ALL)' : `adds the capability ${name}`;
      context.report({
        at: node,
        messageId: 'added',
        container,
        message: `${who} ${what}: each capability is a piece of root's power (CHOWN, DAC_OVERRIDE and FOWNER let a process rewrite any file `
          + `of the image; SYS_ADMIN can remount it read-write). Remove it from capabilities.add; only ${ALLOWED_CAPABILITY} is safe to add back.`,
        fixes: () => offered([removeCapabilityFix(container, context.text, node)]),
      });
    }
    if (!caps.keptDefaults.length) return;
    const kept = caps.keptDefaults.length === RUNTIME_DEFAULT_CAPABILITIES.length - 1
      ? 'the runtime\'s defaults'
      : `the default capabilities ${caps.keptDefaults.join(', ')}`;
    // An image that starts as root and then switches user needs SETUID and SETGID (knowledge/rootImages.ts).
    const switcher = rootImage(container)?.switchesTo;
    const switchNote = switcher
      ? ` ${container.image} starts as root and switches to user ${switcher}, which needs SETUID and SETGID: run a variant built for a non-root user first.`
      : '';
    context.report({
      at: caps.drop.pair?.key ?? caps.pair?.key ?? missingFieldAnchor(container),
      messageId: 'not-dropped',
      container,
      related: ignoredAtPodLevel(container, 'capabilities'),
      message: `${who} does not drop ALL capabilities, so it keeps ${kept}: ${keptWhy(caps.keptDefaults)}. `
        + `Set securityContext.capabilities.drop: [ALL] and add back only what the app needs.${switchNote}`,
      fixes: () => offered([fixOf(switcher ? `Drop ALL capabilities (${container.image} then cannot switch to user ${switcher})` : 'Drop ALL capabilities',
        () => changeEdits(container, context.text, { container: { securityContext: { capabilities: { drop: [ALL] } } }, pod: {} }), !switcher),
      hardenFix(container, context.text, context.options)]),
    });
  },
};
