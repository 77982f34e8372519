// Commands that strip write permission from the filesystem at start-up to imitate an immutable container.
// The kernel-enforced equivalent is securityContext.readOnlyRootFilesystem: true; a chmod is undone by any
// process running as root or as the owner, and leaves the image's files writable until it has run.
import { isScalar, Node, YAMLMap } from 'yaml';
import { docsUrl, EngineOptions, FixSpec, messagesOf, Rule } from '../rule';
import { Container } from '../workloads';
import { AnyNode, getMap, getSeq, seqItems } from '../yamlNodes';
import { isUnder, mountPaths, uncoveredPaths, volumeNames } from '../fixes/volumes';
import { changeEdits, fixOf, merged, missingWritePaths, offered, pathList, preparedByInitContainer, readOnlyRootWithWritePaths, steps } from '../fixes/containerFixes';
import { chmodRemoval } from '../fixes/chmodRemoval';
import { containerLabel } from '../messages';

const id = 'chmod-immutability-hack';

/** Options of GNU/BusyBox chmod; anything else after `chmod` that starts with `-` is a mode such as `-w`. */
const OPTION = /^-[RfvcHLP]+$|^--[a-z-]+(=.*)?$/;
const RECURSIVE = /^-[a-zA-Z]*R[a-zA-Z]*$|^--recursive$/;

const isChmod = (word: string) => word === 'chmod' || word.endsWith('/chmod');

/** Does the mode take write permission away from the file's owner (and so from the process that owns it)? */
export function removesOwnerWrite(mode: string): boolean {
  if (/^0?[0-7]{3}$|^[0-7]{4}$/.test(mode)) {
    const owner = Number(mode[mode.length - 3]);
    return (owner & 2) === 0;
  }
  return mode.split(',').some(clause => {
    const match = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!match) return false;
    const [, who, op, perms] = match;
    const coversOwner = who === '' || who.includes('u') || who.includes('a');
    return coversOwner && ((op === '-' && perms.includes('w')) || (op === '=' && !perms.includes('w')));
  });
}

export interface ChmodCall { targets: string[]; mode: string; /** The call as written. */ text: string }

/** Recursive, owner-write-removing chmod calls in one shell command line (or one exec argument list). */
export function findChmodHacks(command: string): ChmodCall[] {
  const calls: ChmodCall[] = [];
  for (const segment of command.split(/&&|\|\||[;|\n]/)) {
    const words = segment.trim().split(/\s+/).map(word => word.replace(/^['"]|['"]$/g, ''));
    const at = words.findIndex(isChmod);
    if (at < 0) continue;
    const args = words.slice(at + 1);
    const recursive = args.some(arg => RECURSIVE.test(arg));
    const operands = args.filter(arg => !OPTION.test(arg));
    const [mode, ...targets] = operands;
    if (recursive && mode && targets.length && removesOwnerWrite(mode)) calls.push({ mode, targets, text: words.slice(at).join(' ') });
  }
  return calls;
}

/** The keys from the container to a hook or probe; empty for the container's own command and args. */
export type CommandOwner = [] | ['lifecycle', string] | [string];

/** The command lists a container runs: its command and args, lifecycle hooks and exec probes. */
function commandLists(container: Container): { label: string; owner: CommandOwner; items: AnyNode[] }[] {
  const { doc } = container.pod.object;
  const node = container.node;
  const execCommand = (map: YAMLMap | undefined) => seqItems(getSeq(getMap(map, 'exec', doc), 'command', doc), doc);
  const lists: { label: string; owner: CommandOwner; items: AnyNode[] }[] = [
    { label: 'command', owner: [], items: [...seqItems(getSeq(node, 'command', doc), doc), ...seqItems(getSeq(node, 'args', doc), doc)] },
  ];
  const lifecycle = getMap(node, 'lifecycle', doc);
  for (const hook of ['postStart', 'preStop']) lists.push({ label: `${hook} hook`, owner: ['lifecycle', hook], items: execCommand(getMap(lifecycle, hook, doc)) });
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) lists.push({ label: probe, owner: [probe], items: execCommand(getMap(node, probe, doc)) });
  return lists;
}

/** Text of a scalar as written: YAML 1.1 would read `0555` as a number, but chmod reads the digits. */
function scalarText(node: AnyNode): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'string' ? node.value : node.source ?? String(node.value);
}

export interface ChmodHackSite {
  label: string;
  owner: CommandOwner;
  /** Every argument of the command list. */
  items: Node[];
  /** The arguments that hold the chmod. */
  nodes: Node[];
  calls: ChmodCall[];
}

/** Where a container's commands run a chmod hack: the argument holding it, or the run of exec-form arguments. */
export function chmodHackSites(container: Container): ChmodHackSite[] {
  const mounts = mountPaths(container);
  const onRootFs = (call: ChmodCall) => call.targets.some(target => !mounts.some(mount => isUnder(target, mount)));
  const sites: ChmodHackSite[] = [];
  for (const { label, owner, items } of commandLists(container)) {
    const scalars = items.filter((item): item is Node => isScalar(item));
    const single = scalars.flatMap(node => {
      const calls = findChmodHacks(scalarText(node) ?? '').filter(onRootFs);
      return calls.length ? [{ label, owner, items: scalars, nodes: [node], calls }] : [];
    });
    if (single.length) { sites.push(...single); continue; }
    // Exec form: ["chmod", "-R", "a-w", "/"] spreads one call over several arguments.
    const words = scalars.map(node => scalarText(node) ?? '');
    const start = words.findIndex(isChmod);
    if (start < 0) continue;
    const calls = findChmodHacks(words.slice(start).join(' ')).filter(onRootFs);
    if (calls.length) sites.push({ label, owner, items: scalars, nodes: scalars.slice(start), calls });
  }
  return sites;
}

/**
 * Remove the chmod and make the root read-only (with emptyDir volumes where the image is known to write). When
 * the chmod targets a directory, an alternative also serves it read-only from a copy an init container makes.
 */
function fixes(container: Container, site: ChmodHackSite, text: string, options: EngineOptions): FixSpec[] {
  const writePaths = missingWritePaths(container, options).map(entry => entry.path);
  const title = steps([
    'Remove the chmod',
    ...(container.effective.readOnlyRootFilesystem?.value === true ? [] : ['set readOnlyRootFilesystem: true']),
    ...(writePaths.length ? [`mount emptyDir volumes at ${pathList(writePaths)}`] : []),
  ]);
  const change = (taken: Set<string>) => merged(
    { container: {}, pod: {}, removed: chmodRemoval(container, text, site) },
    readOnlyRootWithWritePaths(container, options, taken),
  );
  const directories = uncoveredPaths(container, [...new Set(site.calls.flatMap(call => call.targets))])
    .filter(target => target.startsWith('/') && target !== '/' && !writePaths.some(path => isUnder(path, target) || isUnder(target, path)));
  return offered([
    fixOf(title, () => changeEdits(container, text, change(volumeNames(container.pod))), true),
    ...directories.map(directory => fixOf(`${title}, and serve ${directory} read-only from a copy an init container makes`, () => {
      const taken = volumeNames(container.pod);
      return changeEdits(container, text, merged(change(taken), preparedByInitContainer(container, directory, true, taken)));
    })),
  ]);
}

export const chmodImmutabilityHack: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'A command, hook or probe that removes write permission recursively to fake an immutable filesystem.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, { 'chmod-read-only': 'A command, hook or probe removes write permission recursively to fake a read-only filesystem.' }),
  },
  checkContainer(container, context) {
    for (const site of chmodHackSites(container)) {
      const first = site.nodes[0].range!;
      const last = site.nodes[site.nodes.length - 1].range!;
      const call = site.calls[0];
      context.report({
        at: [first[0], last[1]],
        messageId: 'chmod-read-only',
        container,
        message: `${containerLabel(container)} runs \`${call.text}\` in its ${site.label} to make its filesystem read-only: `
          + 'the files stay writable until it runs, and any process running as root or as the owner can undo it. '
          + 'Set securityContext.readOnlyRootFilesystem: true instead, which the kernel enforces, and remove the chmod.',
        fixes: () => fixes(container, site, context.text, context.options),
      });
    }
  },
};
