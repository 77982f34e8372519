// The warm-up of code actions: it must run what a request runs, the quick fixes of a container with and without
// their edits (for clients that resolve them and for those that do not) and the ignore comments.
import * as assert from 'node:assert/strict';
import { warmUpCodeActions } from '../../../server/src/lsp/codeActionWarmUp';

describe('code action warm-up', () => {
  it('makes the quick fixes of the sample\'s container, deferred and with their edits, and its ignore comments', () => {
    const actions = warmUpCodeActions();
    const fixes = [
      'Set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/cache/nginx, /var/run',
      'Set readOnlyRootFilesystem: true',
      'Harden container "web" to the restricted Pod Security Standard (nginx:1.27 runs as root, so the kubelet will not start it)',
      'Set runAsNonRoot: true (nginx:1.27 runs as root, so the kubelet will not start it)',
      'Set allowPrivilegeEscalation: false',
      'Drop ALL capabilities (nginx:1.27 then cannot switch to user nginx)',
    ];
    const ignores = ['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'].map(rule => `Ignore ${rule} for this container`);
    const seen = actions.map(action => `${action.title}: ${action.edit ? 'edit' : 'to resolve'}`);
    assert.deepEqual(seen, [
      ...fixes.map(title => `${title}: to resolve`), ...ignores.map(title => `${title}: edit`),
      ...fixes.map(title => `${title}: edit`), ...ignores.map(title => `${title}: edit`),
    ]);
  });
});
