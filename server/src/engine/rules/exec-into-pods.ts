// Whoever may exec into, attach to or add an ephemeral container to a running pod can change that container
// by hand: install tools, edit files, kill processes. An immutable container is changed only by a new image
// and a new pod, so a Role that allows this undoes the rest of the lockdown.
import { docsUrl, messagesOf, Rule } from '../rule';
import { grants, policyRules, PolicyRule, RBAC_API_GROUP } from '../rbac';
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

/**
 * The other ways to the same end: the kubelet's API behind nodes/proxy runs commands in any container of the node
 * (its /exec and /run endpoints, authorised as `get` or `create` on nodes/proxy, not as pods/exec); `bind` and
 * `escalate` let a subject grant itself any role, this one's permissions included; `impersonate` lets it act as a
 * user, group or service account that holds them. https://kubernetes.io/docs/concepts/security/rbac-good-practices/
 */
const INDIRECT_PATHS = [
  {
    messageId: 'nodes-proxy', apiGroup: '', resources: ['nodes/proxy'], verbs: ['create', 'get'],
    how: 'its subjects can call the kubelet\'s API through the API server, whose /exec and /run endpoints run commands in any container '
      + 'of the node, and the kubelet does not ask for pods/exec',
  },
  {
    messageId: 'bind-escalate', apiGroup: RBAC_API_GROUP, resources: ['roles', 'clusterroles'], verbs: ['bind', 'escalate'],
    how: 'its subjects can bind any role to themselves, or write roles that grant more than they hold, pods/exec included',
  },
  {
    messageId: 'impersonate', apiGroup: '', resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'],
    how: 'its subjects can act as any user, group or service account, and so exec into pods with the permissions of whoever may',
  },
] as const;

/** What one rule of a Role grants along the indirect paths, per path. */
export function indirectGrants(rule: PolicyRule): { messageId: typeof INDIRECT_PATHS[number]['messageId']; what: string; how: string }[] {
  return INDIRECT_PATHS.flatMap(({ messageId, apiGroup, resources, verbs, how }) => {
    const granted = resources.flatMap(resource => {
      const found = verbs.filter(verb => grants(rule, { apiGroup, resource, verb }));
      return found.length ? [`${found.join('/')} on ${resource}`] : [];
    });
    return granted.length ? [{ messageId, what: granted.join(', '), how }] : [];
  });
}

export const execIntoPods: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'Roles do not let people exec into, attach to or add containers to running pods, where they could change them by hand.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      'pod-subresources': 'The rule grants create or get on pods/exec or pods/attach, or update or patch on pods/ephemeralcontainers.',
      'nodes-proxy': 'The rule grants create or get on nodes/proxy: the kubelet\'s API, which runs commands in any container of the node.',
      'bind-escalate': 'The rule grants bind or escalate on roles or clusterroles: its subjects can grant themselves any permission.',
      impersonate: 'The rule grants impersonate on users, groups or serviceaccounts: its subjects can act as whoever may exec.',
    }),
  },
  checkObject(object, context) {
    if (isBuiltInRole(object)) return;
    const who = `This rule of ${object.kind} "${object.resource.name ?? ''}"`;
    for (const rule of policyRules(object)) {
      const [start, end] = rule.node.range!;
      // A block map's range runs to the next line; the finding ends where the rule's text does.
      const at: [number, number] = [start, start + context.text.slice(start, end).trimEnd().length];
      const found = podEntryGrants(rule);
      if (found.length) {
        const what = found.map(grant => `${grant.verbs.join('/')} on ${grant.resource}`).join(', ');
        const does = found.map(grant => grant.does).join(', ');
        context.report({
          at,
          messageId: 'pod-subresources',
          message: `${who} grants ${what}: its subjects can ${does} running pods `
            + 'and change the containers by hand, so what runs is no longer what the image and the manifest say. '
            + 'Remove these resources or verbs from the rule, and use kubectl debug on a copy of the pod when someone must look inside.',
        });
      }
      for (const grant of indirectGrants(rule)) {
        context.report({
          at,
          messageId: grant.messageId,
          message: `${who} grants ${grant.what}: ${grant.how}, and change the running containers by hand. `
            + 'Remove these resources or verbs from the rule unless its subjects administer the cluster.',
        });
      }
    }
  },
};
