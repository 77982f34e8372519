// The chmod calls in a container's commands, hooks and probes that strip write permission recursively: what
// the chmod-immutability-hack rule reports and what its fix removes.
import { isScalar, Node, YAMLMap } from 'yaml';
import { isUnder, mountPaths } from './volumes';
import { Container } from './workloads';
import { AnyNode, getMap, getSeq, seqItems } from './yamlNodes';

/** Options of GNU/BusyBox chmod; anything else after `chmod` that starts with `-` is a mode such as `-w`. */
const OPTION = /^-[RfvcHLP]+$|^--[a-z-]+(=.*)?$/;
/** `-R` among other short options; the letters before the first `R` exclude it, so the pattern cannot backtrack. */
const RECURSIVE = /^-[a-zA-QS-Z]*R[a-zA-Z]*$|^--recursive$/;

const isChmod = (word: string) => word === 'chmod' || word.endsWith('/chmod');

/**
 * The commands of a shell command line, as [start, end) offsets: the text between `&&`, `||`, `;`, `|` and line
 * breaks. A scan rather than a pattern, so that no run of blanks or separators costs more than its length.
 */
export function shellCommandSpans(line: string): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    const width = (char === '&' || char === '|') && line[i + 1] === char ? 2 : char === ';' || char === '|' || char === '\n' ? 1 : 0;
    if (!width) continue;
    spans.push([start, i]);
    start = i + width;
    i += width - 1;
  }
  spans.push([start, line.length]);
  return spans;
}

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
  for (const [start, end] of shellCommandSpans(command)) {
    const words = command.slice(start, end).trim().split(/\s+/).map(word => word.replace(/^['"]|['"]$/g, ''));
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

const HOOKS = ['postStart', 'preStop'] as const;
const PROBES = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;

/**
 * The command lists a container runs and that have arguments: its command and args, lifecycle hooks and exec
 * probes. Most containers have none or one, so the lists are made only for what is there: this runs for every
 * container, and made whole it was a fifth of what the analysis of 26,000 containers allocated.
 */
function commandLists(container: Container): { label: string; owner: CommandOwner; items: AnyNode[] }[] {
  const { doc } = container.pod.object;
  const node = container.node;
  const lists: { label: string; owner: CommandOwner; items: AnyNode[] }[] = [];
  const command = getSeq(node, 'command', doc);
  const args = getSeq(node, 'args', doc);
  if (command?.items.length || args?.items.length) lists.push({ label: 'command', owner: [], items: [...seqItems(command, doc), ...seqItems(args, doc)] });
  const exec = (label: string, owner: CommandOwner, map: YAMLMap | undefined) => {
    const seq = map && getSeq(getMap(map, 'exec', doc), 'command', doc);
    if (seq?.items.length) lists.push({ label, owner, items: seqItems(seq, doc) });
  };
  const lifecycle = getMap(node, 'lifecycle', doc);
  if (lifecycle) for (const hook of HOOKS) exec(`${hook} hook`, ['lifecycle', hook], getMap(lifecycle, hook, doc));
  for (const probe of PROBES) exec(probe, [probe], getMap(node, probe, doc));
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
  const sites: ChmodHackSite[] = [];
  const lists = commandLists(container);
  if (!lists.length) return sites;
  const mounts = mountPaths(container);
  const onRootFs = (call: ChmodCall) => call.targets.some(target => !mounts.some(mount => isUnder(target, mount)));
  for (const { label, owner, items } of lists) {
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
