import * as assert from 'node:assert/strict';
import { fixAll } from '../../../server/src/engine/fixes/fixAll';
import { yaml } from '../../helpers';

describe('fixAll', () => {
  it('applies fixes that meet in later passes, so two containers of one pod get their own volumes', () => {
    const code = yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
        - name: a
          image: nginx:1.27
        - name: b
          image: nginx:1.27
          securityContext: {readOnlyRootFilesystem: false}
    `;
    const { text, applied } = fixAll(code);
    assert.deepEqual(applied.map(fix => `${fix.rule} ${fix.container}`), ['readonly-root-filesystem a', 'readonly-root-filesystem b']);
    assert.equal(text, yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
        - name: a
          image: nginx:1.27
          securityContext:
            readOnlyRootFilesystem: true
          volumeMounts:
          - name: var-cache-nginx
            mountPath: /var/cache/nginx
          - name: var-run
            mountPath: /var/run
        - name: b
          image: nginx:1.27
          securityContext: {readOnlyRootFilesystem: true}
          volumeMounts:
          - name: var-cache-nginx-2
            mountPath: /var/cache/nginx
          - name: var-run-2
            mountPath: /var/run
        volumes:
        - name: var-cache-nginx
          emptyDir: {}
        - name: var-run
          emptyDir: {}
        - name: var-cache-nginx-2
          emptyDir: {}
        - name: var-run-2
          emptyDir: {}
    `);
  });

  it('fixes only the findings it is asked to, and reports an untouched text when none', () => {
    const code = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/a:1\n';
    assert.deepEqual(fixAll(code, {}, finding => finding.rule !== 'readonly-root-filesystem'), { text: code, applied: [] });
  });
});
