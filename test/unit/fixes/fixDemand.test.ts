// What an analysis computes of its findings' fixes: `planned` makes the preferred fix without checking it and keeps
// only what it says it changes (where a chart places a finding); `none` keeps only the FixRef; the fixes themselves
// come later from fixesOf, the same as an analysis that computes them all.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/engine';
import { offeredInTurn } from '../../../server/src/engine/fixes/containerFixes';
import { fixesOf } from '../../../server/src/engine/fixes/onDemand';
import { yaml } from '../../helpers';

const DEPLOYMENT = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
          - name: web
            image: registry.example.com/web@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9
            securityContext:
              readOnlyRootFilesystem: true
              runAsNonRoot: true
              capabilities:
                drop: [ALL]
`;

describe('fix demand', () => {
  it('planned: what the preferred fix changes, no fix', () => {
    const [finding] = analyzeText(DEPLOYMENT, {}, 'planned').findings;
    assert.equal(finding.rule, 'privilege-escalation');
    assert.equal(finding.fixes, undefined);
    assert.deepEqual(finding.plannedChanges, [{ path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'], kind: 'set', value: false }]);
    assert.deepEqual(finding.fixRef, { line: 0, document: 0, report: 0 });
  });

  it('none: only the FixRef', () => {
    const [finding] = analyzeText(DEPLOYMENT, {}, 'none').findings;
    assert.deepEqual([finding.fixes, finding.plannedChanges, finding.fixRef], [undefined, undefined, { line: 0, document: 0, report: 0 }]);
  });

  it('the fixes made on demand for a planned finding are those of an analysis that makes them all', () => {
    const [planned] = analyzeText(DEPLOYMENT, {}, 'planned').findings;
    const [all] = analyzeText(DEPLOYMENT, {}, 'all').findings;
    const made = fixesOf(DEPLOYMENT, [planned], {}).get(planned)!;
    assert.deepEqual(made.map(fix => fix.title), ['Set allowPrivilegeEscalation: false', 'Harden container "web" to the restricted Pod Security Standard']);
    assert.deepEqual(made, all.fixes);
    assert.deepEqual(planned.plannedChanges, made.find(fix => fix.isPreferred)!.changes);
  });

  it('planned: the fixes after the preferred one are not made, and the plan is the preferred fix of an analysis that makes them all', () => {
    const nginx = DEPLOYMENT.replace(/image: .*/, 'image: nginx:1.27');
    const [planned] = analyzeText(nginx, {}, 'planned').findings.filter(f => f.rule === 'writable-paths-unmounted');
    const [all] = analyzeText(nginx, {}, 'all').findings.filter(f => f.rule === 'writable-paths-unmounted');
    assert.deepEqual(all.fixes!.map(fix => [fix.title, !!fix.isPreferred]), [
      ['Mount emptyDir volumes at /var/cache/nginx, /var/run', true],
      ["Mount emptyDir volumes at /var/cache/nginx, /var/run, the one at /var/cache/nginx filled by an init container with the image's files there", false],
      ["Mount emptyDir volumes at /var/cache/nginx, /var/run, the one at /var/run filled by an init container with the image's files there", false],
    ]);
    assert.deepEqual(planned.plannedChanges, all.fixes![0].changes);

    const made: string[] = [];
    const maker = (title: string, isPreferred?: boolean) => () => { made.push(title); return title === 'unfixable' ? undefined : { title, edits: [], changes: [], isPreferred }; };
    const makers = [maker('first'), maker('unfixable'), maker('preferred', true), maker('after')];
    assert.deepEqual(offeredInTurn(makers, true).map(fix => fix.title), ['first', 'preferred']);
    assert.deepEqual(made, ['first', 'unfixable', 'preferred']);
    assert.deepEqual(offeredInTurn(makers).map(fix => fix.title), ['first', 'preferred', 'after']);
  });
});
