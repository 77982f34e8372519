// The evaluator against the fixtures of kubernetes/pod-security-admission (test/testdata/<level>/v1.37), kept in
// ../shared/conformance/pss: a `pass` file passes its level, a `fail` file fails the control in its name (or the
// control of its level that overrides it). A fail file may fail more: privileged: true cannot go with
// allowPrivilegeEscalation: false, and hostProcess needs hostNetwork, so those fixtures break a second control.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { findPodSpec, kubeObject } from '../../../server/src/engine/workloads';
import { evaluatePod } from '../../../server/src/engine/podSecurity/evaluate';
import { CONTROLS } from '../../../server/src/engine/podSecurity/controls';
import { LATEST, Level } from '../../../server/src/engine/podSecurity/levels';

const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'conformance', 'pss');

/** Does the control `id` replace `other` at its level (restrictedVolumes replaces hostPathVolumes)? */
function overrides(id: string, other: string): boolean {
  return CONTROLS.some(control => control.id.toLowerCase() === id && control.versions.some(v => v.overrides?.some(o => o.toLowerCase() === other)));
}

interface Case { file: string; check: string; expect: 'pass' | 'fail' }

describe('Pod Security Standards conformance (pod-security-admission fixtures)', () => {
  if (!existsSync(join(FIXTURES, 'index.json'))) {
    it('is skipped: ../shared/conformance/pss is absent');
    return;
  }
  const cases = JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as Case[];
  for (const { file, check, expect } of cases) {
    const [level, control] = check.split(':') as [Level, string];
    it(`${file}: ${expect}s ${check}`, () => {
      const doc = parseDocument(readFileSync(join(FIXTURES, file), 'utf8'));
      const pod = findPodSpec(kubeObject(doc.contents, doc)!)!;
      const failed = evaluatePod(pod, level, LATEST).map(f => f.control.id.toLowerCase());
      if (expect === 'pass') assert.deepEqual(failed, []);
      else assert.ok(failed.some(id => id === control || overrides(id, control)), `fails ${failed.join(', ') || 'nothing'}`);
    });
  }
});
