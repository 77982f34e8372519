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
        range: '5:3-7:18', severity: 'warning', container: undefined,
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
      findings: [{ range: '5:3-7:30', message: /grants get on pods\/exec, get on pods\/attach, patch on pods\/ephemeralcontainers: its subjects can run commands in, attach to, add ephemeral containers to running pods/ }],
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
