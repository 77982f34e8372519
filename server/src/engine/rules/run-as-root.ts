// A container that runs as root (UID 0) or with the root group (GID 0) owns, or may write, the image's
// files: one exploited process is enough to change the running container.
import { Node, Pair } from 'yaml';
import { docsUrl, EngineOptions, messagesOf, Report, Rule, RuleContext } from '../rule';
import { containerLabel } from '../messages';
import { Setting } from '../securityContext';
import { Container, PodSpec } from '../workloads';
import { missingFieldAnchor } from '../containerFindings';
import { FixSpec } from '../rule';
import { offered } from '../fixes/containerFixes';
import { hardenFix, securityContextFix, settingFix } from '../fixes/hardeningFixes';
import { namedUserImage, rootImage, rootImageCaveat } from '../knowledge/rootImages';

const id = 'run-as-root';

export interface RootProblem {
  container: Container;
  /** The setting at fault (container-level or inherited from the pod), undefined when nothing is set. */
  setting?: Setting;
  /** The condition, one of the rule's message ids. */
  messageId: 'uid-zero' | 'gid-zero' | 'non-root-false' | 'not-set';
  /** What the container does, completing "Container "x" ...". */
  stated: string;
  why: string;
  fix: string;
}

const ROOT_WHY = 'root owns the image\'s files, so one exploited process can rewrite them';
const NON_ROOT_FIX = 'Set runAsNonRoot: true, with an image built to run as a non-root user.';

function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Why a container may run as root, or undefined when it cannot. */
export function rootProblem(container: Container): RootProblem | undefined {
  const { runAsUser: user, runAsGroup: group, runAsNonRoot: nonRoot } = container.effective;
  // Windows ignores runAsUser and runAsGroup; the Pod Security Standards still ask it for runAsNonRoot: true.
  if (!container.pod.windows) {
    if (user?.value === 0) {
      const refused = nonRoot?.value === true;
      return {
        container, setting: user, messageId: 'uid-zero', stated: 'sets runAsUser: 0',
        why: refused ? 'with runAsNonRoot: true the kubelet refuses to start it' : `it runs as root: ${ROOT_WHY}`,
        fix: 'Set runAsUser to a non-zero UID.',
      };
    }
    if (group?.value === 0) {
      return {
        container, setting: group, messageId: 'gid-zero', stated: 'sets runAsGroup: 0',
        why: 'its processes get the root group, which can write every file the image leaves group-writable (as images built for OpenShift do)',
        fix: 'Set runAsGroup to a non-zero GID.',
      };
    }
    if (nonRoot?.value !== true && isPositiveInteger(user?.value)) return undefined;
  }
  if (nonRoot?.value === true) return undefined;
  if (nonRoot) {
    const stated = nonRoot.value === false ? 'sets runAsNonRoot: false' : 'sets runAsNonRoot to a value that is not the boolean true';
    return { container, setting: nonRoot, messageId: 'non-root-false', stated, why: `it may run as root: ${ROOT_WHY}`, fix: NON_ROOT_FIX };
  }
  return {
    container,
    messageId: 'not-set',
    stated: container.pod.windows ? 'does not set runAsNonRoot: true' : 'sets neither runAsNonRoot: true nor a non-zero runAsUser',
    why: `it runs as the image's user, root unless the image names another, and ${ROOT_WHY}`,
    fix: NON_ROOT_FIX,
  };
}

/**
 * runAsNonRoot: true where it is missing or wrong (not preferred for an image known to run as root); a UID or
 * GID of 0 needs a number only the image's author knows.
 */
function fixes(problem: RootProblem, text: string, options: EngineOptions): FixSpec[] {
  return [...settingFixes(problem, text), ...offered([problem.fix === NON_ROOT_FIX ? hardenFix(problem.container, text, options) : undefined])];
}

function settingFixes(problem: RootProblem, text: string): FixSpec[] {
  const { container, setting } = problem;
  // An image that names its user needs that user's UID beside runAsNonRoot: true.
  const named = namedUserImage(container);
  if (named && (!setting || setting === container.effective.runAsNonRoot)) {
    return offered([securityContextFix(container, text, { runAsNonRoot: true, runAsUser: named.uid })]);
  }
  const caveat = rootImageCaveat(container);
  if (!setting) return offered([securityContextFix(container, text, { runAsNonRoot: true }, caveat)]);
  return setting === container.effective.runAsNonRoot ? offered([settingFix(container, text, setting, true, caveat)]) : [];
}

function reportAt(problem: RootProblem): Node | Pair {
  const { setting, container } = problem;
  return setting ? setting.node ?? setting.pair : missingFieldAnchor(container);
}

/**
 * One finding per place at fault and reason: a pod-level setting that several containers inherit is reported
 * once (twice when runAsNonRoot: true in some of them turns "runs as root" into "will not start").
 */
function reportProblems(problems: RootProblem[], context: RuleContext): void {
  // Most places have one problem (a container's own setting, or the place a missing one goes): the problems are
  // grouped by reason only where a place has more.
  const byPlace = new Map<Node | Pair, RootProblem[]>();
  for (const problem of problems) {
    const at = reportAt(problem);
    const here = byPlace.get(at);
    if (here) here.push(problem); else byPlace.set(at, [problem]);
  }
  for (const [at, here] of byPlace) for (const group of here.length === 1 ? [here] : groupedByReason(here)) {
    const [{ setting, stated, why, fix, container, messageId }] = group;
    const who = setting?.level === 'pod'
      ? `The pod securityContext ${stated}, inherited by ${group.map(problem => containerLabel(problem.container)).join(', ')}`
      : `${containerLabel(container)} ${stated}`;
    const rootImages = fix !== NON_ROOT_FIX ? [] : [...new Set(group.filter(problem => rootImage(problem.container)).map(problem => problem.container.image))];
    const imageNote = rootImages.length
      ? ` ${rootImages.join(', ')} runs as root (no USER in its Dockerfile): switch to a variant built for a non-root user first, or the kubelet will refuse to start it.`
      : '';
    const report: Report = { at, messageId, message: `${who}: ${why}. ${fix}${imageNote}`, fixes: () => group.length === 1 ? fixes(group[0], context.text, context.options) : settingFixes(group[0], context.text) };
    if (group.length === 1) report.container = container;
    context.report(report);
  }
}

/** Problems in groups of the same reason, the groups in the order their first problem comes. */
function groupedByReason(problems: RootProblem[]): RootProblem[][] {
  const byReason = new Map<string, RootProblem[]>();
  for (const problem of problems) {
    const group = byReason.get(problem.why);
    if (group) group.push(problem); else byReason.set(problem.why, [problem]);
  }
  return [...byReason.values()];
}

export const runAsRoot: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Containers run as a non-root user and group, so they cannot rewrite the files of their image.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      'uid-zero': 'runAsUser is 0: the container runs as root (or, with runAsNonRoot: true, does not start).',
      'gid-zero': 'runAsGroup is 0: the container runs with the root group.',
      'non-root-false': 'runAsNonRoot is set to false, or to a value that is not the boolean true.',
      'not-set': 'Neither runAsNonRoot: true nor a non-zero runAsUser is set.',
      'root-image-refused': 'runAsNonRoot: true meets an image known to run as root, so the kubelet refuses to start it (a hint).',
      'named-user': 'runAsNonRoot: true meets an image that names its user instead of a UID, so the kubelet cannot verify it (a hint).',
    }),
  },
  checkPod(pod: PodSpec, context) {
    reportProblems(pod.containers.flatMap(container => rootProblem(container) ?? []), context);
    reportRefusedImages(pod, context);
    reportNamedUsers(pod, context);
  },
};

/** A hint where runAsNonRoot: true meets an image known to name its user: the kubelet cannot check the name. */
function reportNamedUsers(pod: PodSpec, context: RuleContext): void {
  for (const container of pod.containers) {
    const nonRoot = container.effective.runAsNonRoot;
    const named = namedUserImage(container);
    if (container.pod.windows || nonRoot?.value !== true || !named) continue;
    context.report({
      at: nonRoot.node ?? nonRoot.pair,
      messageId: 'named-user',
      severity: 'hint',
      container,
      message: `${containerLabel(container)} runs ${container.image}, whose Dockerfile names its user (${named.user}) instead of giving a UID: with `
        + `runAsNonRoot: true and no runAsUser the kubelet cannot verify it and refuses to start it (CreateContainerConfigError). Set runAsUser: ${named.uid}.`,
      fixes: () => offered([securityContextFix(container, context.text, { runAsUser: named.uid })]),
    });
  }
}

/**
 * A hint where runAsNonRoot: true meets an image known to run as root without a non-zero runAsUser: the kubelet
 * refuses to start the container (CreateContainerConfigError). A hint, not a warning: the container does not run
 * as root, and Polaris' own fixture for runAsRootAllowed passes official nginx with runAsNonRoot: true.
 */
function reportRefusedImages(pod: PodSpec, context: RuleContext): void {
  const byPlace = new Map<Node | Pair, { setting: Setting; containers: Container[] }>();
  for (const container of pod.containers) {
    const nonRoot = container.effective.runAsNonRoot;
    if (container.pod.windows || nonRoot?.value !== true || !rootImage(container)) continue;
    const at = nonRoot.node ?? nonRoot.pair;
    const place = byPlace.get(at) ?? { setting: nonRoot, containers: [] };
    place.containers.push(container);
    byPlace.set(at, place);
  }
  const fix = 'Run a variant built for a non-root user, or set runAsUser to a non-zero UID the image supports.';
  for (const [at, { setting, containers }] of byPlace) {
    const images = [...new Set(containers.map(container => container.image))];
    const one = containers.length === 1;
    const message = setting.level === 'pod'
      ? `The pod securityContext sets runAsNonRoot: true, inherited by ${containers.map(containerLabel).join(', ')}, whose image${images.length > 1 ? 's' : ''} `
        + `${images.join(', ')} ${images.length > 1 ? 'run' : 'runs'} as root (no USER in the Dockerfile): without a runAsUser the kubelet refuses to start `
        + `${one ? 'it' : 'them'} (CreateContainerConfigError). ${fix}`
      : `${containerLabel(containers[0])} runs ${images[0]}, which runs as root (its Dockerfile sets no USER): with runAsNonRoot: true and no runAsUser `
        + `the kubelet refuses to start it (CreateContainerConfigError). ${fix}`;
    context.report({ at, messageId: 'root-image-refused', severity: 'hint', message, ...(one ? { container: containers[0] } : {}) });
  }
}
