import { testRule, yaml } from '../../helpers';

const role = (rules: string, kind = 'ClusterRole', name = 'ops') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}"}\nrules:\n${rules}`;
const oneRule = (apiGroups: string, resources: string, verbs: string, kind?: string, name?: string) =>
  role(`- apiGroups: ${apiGroups}\n  resources: ${resources}\n  verbs: ${verbs}\n`, kind, name);

testRule('exec-into-pods', {
  valid: [
    { name: 'pods without a subresource', code: oneRule('[""]', '[pods]', '[get, create, delete]') },
    { name: 'pods/exec with a verb that does not reach the container', code: oneRule('[""]', '[pods/exec, pods/attach]', '[list, watch]') },
    { name: 'pods/ephemeralcontainers read only', code: oneRule('[""]', '[pods/ephemeralcontainers]', '[get]') },
    { name: 'pods/exec in another API group', code: oneRule('[apps]', '[pods/exec]', '[create]') },
    { name: 'pods/log is not a way in', code: oneRule('["*"]', '[pods/log]', '["*"]') },
    { name: 'built-in ClusterRole admin', code: oneRule('[""]', '[pods/exec]', '[create]', 'ClusterRole', 'admin') },
    { name: 'built-in ClusterRole edit', code: oneRule('[""]', '[pods/attach]', '[create]', 'ClusterRole', 'edit') },
    { name: 'built-in ClusterRole cluster-admin', code: oneRule('["*"]', '["*"]', '["*"]', 'ClusterRole', 'cluster-admin') },
    { name: 'system: roles', code: oneRule('["*"]', '["*"]', '["*"]', 'Role', 'system:controller:glbc') },
    { name: 'the GKE role gce:podsecuritypolicy:calico-sa', code: oneRule('["*"]', '["*"]', '["*"]', 'Role', 'gce:podsecuritypolicy:calico-sa') },
    { name: 'nodes/proxy with a verb that does not reach the kubelet', code: oneRule('[""]', '[nodes/proxy]', '[list, watch]') },
    { name: 'nodes without the proxy subresource', code: oneRule('[""]', '[nodes, nodes/status]', '[get, create]') },
    { name: 'bind on roles in the core API group', code: oneRule('[""]', '[roles]', '[bind, escalate]') },
    { name: 'roles read and written, without bind or escalate', code: oneRule('[rbac.authorization.k8s.io]', '[roles, clusterroles]', '[get, create, update]') },
    { name: 'impersonate on pods is no impersonation', code: oneRule('[""]', '[pods]', '[impersonate]') },
    { name: 'built-in ClusterRole cluster-admin with impersonate', code: oneRule('[""]', '[users]', '[impersonate]', 'ClusterRole', 'cluster-admin') },
    { name: 'system: roles with nodes/proxy', code: oneRule('[""]', '[nodes/proxy]', '[get]', 'ClusterRole', 'system:kubelet-api-admin') },
    { name: 'a rule for non-resource URLs', code: role('- nonResourceURLs: ["*"]\n  verbs: ["*"]\n') },
    {
      name: 'a kind named Role outside the RBAC API group',
      code: 'apiVersion: example.com/v1\nkind: Role\nmetadata: {name: x}\nrules:\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n',
    },
  ],
  invalid: [
    {
      name: 'create on pods/exec: on the rule item',
      code: oneRule('[""]', '[pods/exec]', '[create]'),
      findings: [{
        range: '5:3-7:18', severity: 'warning', container: undefined, messageId: 'exec-into-pods/pod-subresources',
        message: /^This rule of ClusterRole "ops" grants create on pods\/exec: its subjects can run commands in running pods .* Remove these resources or verbs from the rule/,
      }],
    },
    {
      name: 'get on pods/attach, every API group, in a Role',
      code: oneRule('["*"]', '[pods/attach]', '[get]', 'Role'),
      findings: [{ range: '5:3-7:15', message: /^This rule of Role "ops" grants get on pods\/attach: its subjects can attach to running pods/ }],
    },
    {
      name: 'every resource with get, delete and patch (as argocd-server)',
      code: oneRule('["*"]', '["*"]', '[delete, get, patch]'),
      findings: [
        { range: '5:3-7:30', message: /grants get on pods\/exec, get on pods\/attach, patch on pods\/ephemeralcontainers: its subjects can run commands in, attach to, add ephemeral containers to running pods/ },
        { range: '5:3-7:30', message: /^This rule of ClusterRole "ops" grants get on nodes\/proxy: its subjects can call the kubelet's API/ },
      ],
    },
    {
      name: 'every verb on pods/*',
      code: oneRule('[""]', '["pods/*"]', '["*"]'),
      findings: [{ range: '5:3-7:15', message: /grants create\/get on pods\/exec, create\/get on pods\/attach, update\/patch on pods\/ephemeralcontainers/ }],
    },
    {
      name: '*/exec matches the exec subresource of every resource',
      code: oneRule('[""]', '["*/exec"]', '[create]'),
      findings: [{ range: '5:3-7:18', message: /grants create on pods\/exec:/ }],
    },
    {
      name: 'a namespaced Role named admin is not the built-in ClusterRole',
      code: oneRule('[""]', '[pods/exec]', '[create]', 'Role', 'admin'),
      findings: [{ range: '5:3-7:18' }],
    },
    {
      name: 'only the rule that grants it, in block style with a comment after it',
      code: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: debugger
          namespace: shop
        rules:
        - apiGroups: [""]
          resources: [pods]
          verbs: [get, list]
        - apiGroups:
          - ""
          resources:
          - pods/exec
          verbs:
          - create

        # end of rules
      `,
      findings: [{ range: '10:3-15:11' }],
    },
    {
      name: 'get on nodes/proxy: the kubelet\'s exec, past pods/exec',
      code: oneRule('[""]', '[nodes/proxy]', '[get]'),
      findings: [{
        range: '5:3-7:15', messageId: 'exec-into-pods/nodes-proxy',
        message: /^This rule of ClusterRole "ops" grants get on nodes\/proxy: its subjects can call the kubelet's API through the API server, whose \/exec and \/run endpoints run commands in any container of the node, and the kubelet does not ask for pods\/exec, and change the running containers by hand\. Remove these resources or verbs from the rule unless its subjects administer the cluster\.$/,
      }],
    },
    {
      name: 'create on nodes/* reaches nodes/proxy',
      code: oneRule('[""]', '["nodes/*"]', '[create]'),
      findings: [{ range: '5:3-7:18', messageId: 'exec-into-pods/nodes-proxy', message: /grants create on nodes\/proxy:/ }],
    },
    {
      name: 'bind on clusterroles',
      code: oneRule('[rbac.authorization.k8s.io]', '[clusterroles]', '[bind]'),
      findings: [{
        range: '5:3-7:16', messageId: 'exec-into-pods/bind-escalate',
        message: /^This rule of ClusterRole "ops" grants bind on clusterroles: its subjects can bind any role to themselves, or write roles that grant more than they hold, pods\/exec included/,
      }],
    },
    {
      name: 'escalate on roles and clusterroles, every verb',
      code: oneRule('[rbac.authorization.k8s.io]', '[roles, clusterroles]', '["*"]', 'Role'),
      findings: [{ range: '5:3-7:15', messageId: 'exec-into-pods/bind-escalate', message: /grants bind\/escalate on roles, bind\/escalate on clusterroles:/ }],
    },
    {
      name: 'impersonate on serviceaccounts',
      code: oneRule('[""]', '[serviceaccounts]', '[impersonate]'),
      findings: [{
        range: '5:3-7:23', messageId: 'exec-into-pods/impersonate',
        message: /^This rule of ClusterRole "ops" grants impersonate on serviceaccounts: its subjects can act as any user, group or service account, and so exec into pods/,
      }],
    },
    {
      name: 'impersonate on users and groups',
      code: oneRule('[""]', '[users, groups]', '[impersonate]'),
      findings: [{ range: '5:3-7:23', messageId: 'exec-into-pods/impersonate', message: /grants impersonate on users, impersonate on groups:/ }],
    },
    {
      name: 'every verb on every resource: each path its own finding',
      code: oneRule('["*"]', '["*"]', '["*"]'),
      findings: [
        { range: '5:3-7:15', messageId: 'exec-into-pods/pod-subresources' },
        { range: '5:3-7:15', messageId: 'exec-into-pods/nodes-proxy' },
        { range: '5:3-7:15', messageId: 'exec-into-pods/bind-escalate' },
        { range: '5:3-7:15', messageId: 'exec-into-pods/impersonate' },
      ],
    },
    {
      name: 'flow-style rules, inside a List',
      code: yaml`
        apiVersion: v1
        kind: List
        items:
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRole
          metadata: {name: a}
          rules: [{apiGroups: [""], resources: [pods/ephemeralcontainers], verbs: [update]}]
      `,
      findings: [{ range: '7:11-7:84', message: /^This rule of ClusterRole "a" grants update on pods\/ephemeralcontainers/ }],
    },
  ],
});
