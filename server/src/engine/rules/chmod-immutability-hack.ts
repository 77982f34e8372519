// Commands that strip write permission from the filesystem at start-up to imitate an immutable container.
// The kernel-enforced equivalent is securityContext.readOnlyRootFilesystem: true; a chmod is undone by any
// process running as root or as the owner, and leaves the image's files writable until it has run.
import { isScalar, Node, YAMLMap } from 'yaml';
import { docsUrl, Rule } from '../rule';
import { Container } from '../workloads';
import { AnyNode, getMap, getSeq, getString, seqItems } from '../yamlNodes';
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

function isUnder(path: string, dir: string): boolean {
  const base = dir.replace(/\/+$/, '');
  return path === dir || path === base || path.startsWith(`${base}/`);
}

/** Mount paths of the container's volumes: a chmod there prepares a volume, not the image's filesystem. */
function mountPaths(container: Container): string[] {
  const { doc } = container.pod.object;
  return seqItems(getSeq(container.node, 'volumeMounts', doc), doc)
    .map(mount => getString(mount, 'mountPath', doc))
    .filter((path): path is string => !!path);
}

/** The command lists a container runs: its command and args, lifecycle hooks and exec probes. */
function commandLists(container: Container): { label: string; items: AnyNode[] }[] {
  const { doc } = container.pod.object;
  const node = container.node;
  const execCommand = (map: YAMLMap | undefined) => seqItems(getSeq(getMap(map, 'exec', doc), 'command', doc), doc);
  const lists = [{ label: 'command', items: [...seqItems(getSeq(node, 'command', doc), doc), ...seqItems(getSeq(node, 'args', doc), doc)] }];
  const lifecycle = getMap(node, 'lifecycle', doc);
  for (const hook of ['postStart', 'preStop']) lists.push({ label: `${hook} hook`, items: execCommand(getMap(lifecycle, hook, doc)) });
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) lists.push({ label: probe, items: execCommand(getMap(node, probe, doc)) });
  return lists;
}

/** Text of a scalar as written: YAML 1.1 would read `0555` as a number, but chmod reads the digits. */
function scalarText(node: AnyNode): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'string' ? node.value : node.source ?? String(node.value);
}

export interface ChmodHackSite { label: string; nodes: Node[]; calls: ChmodCall[] }

/** Where a container's commands run a chmod hack: the argument holding it, or the run of exec-form arguments. */
export function chmodHackSites(container: Container): ChmodHackSite[] {
  const mounts = mountPaths(container);
  const onRootFs = (call: ChmodCall) => call.targets.some(target => !mounts.some(mount => isUnder(target, mount)));
  const sites: ChmodHackSite[] = [];
  for (const { label, items } of commandLists(container)) {
    const scalars = items.filter((item): item is Node => isScalar(item));
    const single = scalars.flatMap(node => {
      const calls = findChmodHacks(scalarText(node) ?? '').filter(onRootFs);
      return calls.length ? [{ label, nodes: [node], calls }] : [];
    });
    if (single.length) { sites.push(...single); continue; }
    // Exec form: ["chmod", "-R", "a-w", "/"] spreads one call over several arguments.
    const words = scalars.map(node => scalarText(node) ?? '');
    const start = words.findIndex(isChmod);
    if (start < 0) continue;
    const calls = findChmodHacks(words.slice(start).join(' ')).filter(onRootFs);
    if (calls.length) sites.push({ label, nodes: scalars.slice(start), calls });
  }
  return sites;
}

export const chmodImmutabilityHack: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'A command, hook or probe that removes write permission recursively to fake an immutable filesystem.',
    docsUrl: docsUrl(id),
  },
  checkContainer(container, context) {
    for (const site of chmodHackSites(container)) {
      const first = site.nodes[0].range!;
      const last = site.nodes[site.nodes.length - 1].range!;
      const call = site.calls[0];
      context.report({
        at: [first[0], last[1]],
        container,
        message: `${containerLabel(container)} runs \`${call.text}\` in its ${site.label} to make its filesystem read-only: `
          + 'the files stay writable until it runs, and any process running as root or as the owner can undo it. '
          + 'Set securityContext.readOnlyRootFilesystem: true instead, which the kernel enforces, and remove the chmod.',
      });
    }
  },
};
