// Whoever may exec into, attach to or add an ephemeral container to a running pod can change that container
// by hand: install tools, edit files, kill processes. An immutable container is changed only by a new image
// and a new pod, so a Role that allows this undoes the rest of the lockdown.
import { docsUrl, Rule } from '../rule';
import { grants, policyRules, PolicyRule } from '../rbac';
import { KubeObject } from '../workloads';

const id = 'exec-into-pods';

/** The requests that reach into a running container. Websocket exec and attach are authorised as `get`. */
const ENTRY_POINTS = [
  { resource: 'pods/exec', verbs: ['create', 'get'], does: 'run commands in' },
  { resource: 'pods/attach', verbs: ['create', 'get'], does: 'attach to' },
  { resource: 'pods/ephemeralcontainers', verbs: ['update', 'patch'], does: 'add ephemeral containers to' },
] as const;

/** Roles Kubernetes (and GKE) create themselves; Polaris exempts the same names. */
const BUILT_IN_CLUSTER_ROLES = new Set(['admin', 'edit', 'cluster-admin']);
const BUILT_IN_ROLES = new Set(['gce:podsecuritypolicy:calico-sa']);

export function isBuiltInRole(object: KubeObject): boolean {
  const name = object.resource.name ?? '';
  return name.startsWith('system:') || BUILT_IN_ROLES.has(name) || (object.kind === 'ClusterRole' && BUILT_IN_CLUSTER_ROLES.has(name));
}

export interface PodEntryGrant { resource: string; verbs: string[]; does: string }

/** What one rule of a Role lets its subjects do to running containers. */
export function podEntryGrants(rule: PolicyRule): PodEntryGrant[] {
  return ENTRY_POINTS.flatMap(({ resource, verbs, does }) => {
    const granted = verbs.filter(verb => grants(rule, { apiGroup: '', resource, verb }));
    return granted.length ? [{ resource, verbs: granted, does }] : [];
  });
}

export const execIntoPods: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Roles do not let people exec into, attach to or add containers to running pods, where they could change them by hand.',
    docsUrl: docsUrl(id),
  },
  checkObject(object, context) {
    if (isBuiltInRole(object)) return;
    for (const rule of policyRules(object)) {
      const found = podEntryGrants(rule);
      if (!found.length) continue;
      const what = found.map(grant => `${grant.verbs.join('/')} on ${grant.resource}`).join(', ');
      const does = found.map(grant => grant.does).join(', ');
      const [start, end] = rule.node.range!;
      context.report({
        // A block map's range runs to the next line; the finding ends where the rule's text does.
        at: [start, start + context.text.slice(start, end).trimEnd().length],
        message: `This rule of ${object.kind} "${object.resource.name ?? ''}" grants ${what}: its subjects can ${does} running pods `
          + 'and change the containers by hand, so what runs is no longer what the image and the manifest say. '
          + 'Remove these resources or verbs from the rule, and use kubectl debug on a copy of the pod when someone must look inside.',
      });
    }
  },
};
