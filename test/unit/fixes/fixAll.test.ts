import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { fixAll, TakenSpans } from '../../../server/src/engine/fixes/fixAll';
import { yaml } from '../../helpers';
import { crlf } from './fixTable';

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
    // nginx starts as root and switches to user nginx: runAsNonRoot: true and drop: [ALL] would stop it, so
    // those fixes are offered but not preferred, and fix-all leaves them out.
    assert.deepEqual(applied.map(fix => `${fix.rule} ${fix.container}`),
      ['readonly-root-filesystem a', 'privilege-escalation a', 'privilege-escalation b', 'readonly-root-filesystem b']);
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
            allowPrivilegeEscalation: false
          volumeMounts:
          - name: var-cache-nginx
            mountPath: /var/cache/nginx
          - name: var-run
            mountPath: /var/run
        - name: b
          image: nginx:1.27
          securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
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

  // Items written with the dash alone on its line: new items copy that style, at the dashes' column.
  const bareDashes = yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: db
    spec:
      containers:
        -
          name: mysql
          image: mysql:8.4
          env:
            -
              name: MYSQL_RANDOM_ROOT_PASSWORD
              value: "yes"
      volumes:
        -
          name: data
          emptyDir: {}
  `;
  const bareDashesFixed = yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: db
    spec:
      containers:
        -
          name: mysql
          image: mysql:8.4
          env:
            -
              name: MYSQL_RANDOM_ROOT_PASSWORD
              value: "yes"
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
          volumeMounts:
            -
              name: var-lib-mysql
              mountPath: /var/lib/mysql
            -
              name: var-run-mysqld
              mountPath: /var/run/mysqld
      volumes:
        -
          name: data
          emptyDir: {}
        -
          name: var-lib-mysql
          emptyDir: {}
        -
          name: var-run-mysqld
          emptyDir: {}
  `;

  it('appends to sequences whose items start with a bare dash in that style, and the result parses', () => {
    const { text, applied, refused } = fixAll(bareDashes);
    assert.equal(refused, undefined);
    assert.deepEqual(applied.map(fix => fix.title), ['Set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/lib/mysql, /var/run/mysqld', 'Set allowPrivilegeEscalation: false']);
    assert.equal(text, bareDashesFixed);
    assert.deepEqual(parseAllDocuments(text, { version: '1.1' }).flatMap(doc => doc.errors), []);
  });

  it('keeps CRLF and a missing final line break with bare dashes', () => {
    assert.equal(fixAll(crlf(bareDashes).replace(/\r\n$/, '')).text, crlf(bareDashesFixed).replace(/\r\n$/, ''));
  });

  it('fixes only the findings it is asked to, and reports an untouched text when none', () => {
    const code = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/a:1\n';
    const only = (rules: string[]) => fixAll(code, {}, finding => rules.includes(finding.rule));
    assert.deepEqual(only(['mutable-image-reference']), { text: code, applied: [] });
    assert.deepEqual(only(['capabilities']), {
      text: `${code}    securityContext:\n      capabilities:\n        drop: [ALL]\n`,
      applied: [{ container: 'a', rule: 'capabilities', title: 'Drop ALL capabilities' }],
    });
  });
});

describe('TakenSpans', () => {
  it('takes a span that meets none taken, in any order, and refuses one that overlaps or touches one', () => {
    const spans = new TakenSpans();
    const taken = ([[10, 20], [20, 25], [0, 9], [21, 30], [5, 5], [9, 10], [31, 40], [-5, -1], [26, 26], [-1, 0], [41, 41], [15, 35]] as const)
      .map(([start, end]) => `${start}-${end} ${spans.take(start, end) ? 'taken' : 'refused'}`);
    assert.deepEqual(taken, [
      '10-20 taken', '20-25 refused', '0-9 taken', '21-30 taken', '5-5 refused', '9-10 refused',
      '31-40 taken', '-5--1 taken', '26-26 refused', '-1-0 refused', '41-41 taken', '15-35 refused',
    ]);
  });
});
