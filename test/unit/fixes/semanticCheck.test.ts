import * as assert from 'node:assert/strict';
import { danglingVolumeMounts, diffObjects, formatPath, unexplainedDifferences } from '../../../server/src/engine/fixes/semanticCheck';
import { FixChange } from '../../../server/src/engine';

/** Differences as `path: before -> after`, with absent sides as `-`. */
function diff(before: unknown, after: unknown): string[] {
  const side = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));
  return diffObjects(before, after).map(d => `${formatPath(d.path)}: ${side(d.before)} -> ${side(d.after)}`);
}

describe('diffObjects', () => {
  const cases: { name: string; before: unknown; after: unknown; differences: string[] }[] = [
    { name: 'equal documents', before: { a: [1, { b: null }] }, after: { a: [1, { b: null }] }, differences: [] },
    { name: 'a key set, added and removed', before: { a: { b: 1, c: 2 } }, after: { a: { b: 3, d: 4 } }, differences: ['a.b: 1 -> 3', 'a.c: 2 -> -', 'a.d: - -> 4'] },
    { name: 'items appended', before: { v: [{ name: 'x' }] }, after: { v: [{ name: 'x' }, { name: 'y' }, { name: 'z' }] }, differences: ['v[1]: - -> {"name":"y"}', 'v[2]: - -> {"name":"z"}'] },
    { name: 'an item removed in the middle is one difference', before: ['a', 'b', 'c'], after: ['a', 'c'], differences: ['[1]: "b" -> -'] },
    { name: 'an item changed in place', before: [{ n: 1 }, { n: 2 }], after: [{ n: 1 }, { n: 3 }], differences: ['[1].n: 2 -> 3'] },
    { name: 'items removed here and there, at their indexes before', before: ['a', 'b', 'c', 'd', 'e'], after: ['b', 'd'], differences: ['[0]: "a" -> -', '[2]: "c" -> -', '[4]: "e" -> -'] },
    { name: 'an item removed and another changed', before: [{ n: 1 }, 'x', { n: 2 }], after: [{ n: 1 }, { n: 3 }], differences: ['[1]: "x" -> -', '[2]: {"n":2} -> -', '[1]: - -> {"n":3}'] },
    { name: 'items inserted, at their indexes after', before: ['a', 'b'], after: ['x', 'a', 'y', 'b', 'z'], differences: ['[0]: - -> "x"', '[2]: - -> "y"', '[4]: - -> "z"'] },
    { name: 'a value re-nested under another key', before: { a: { b: 1 }, c: {} }, after: { a: {}, c: { b: 1 } }, differences: ['a.b: 1 -> -', 'c.b: - -> 1'] },
    { name: 'a scalar that became a map', before: { s: null }, after: { s: { r: true } }, differences: ['s: null -> {"r":true}'] },
    { name: 'the same number, not the same string', before: { u: 1000 }, after: { u: '1000' }, differences: ['u: 1000 -> "1000"'] },
    { name: 'keys that are not words', before: { 'app.io/name': 'a' }, after: { 'app.io/name': 'b' }, differences: ['["app.io/name"]: "a" -> "b"'] },
    { name: 'YAML 1.1 dates by their time', before: { d: new Date(0) }, after: { d: new Date(0) }, differences: [] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(diff(c.before, c.after), c.differences));
});

describe('unexplainedDifferences', () => {
  const before = { spec: { containers: [{ name: 'a' }], volumes: [{ name: 'v', emptyDir: {} }] } };
  const after = { spec: { containers: [{ name: 'a', securityContext: { readOnlyRootFilesystem: true } }], volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] } };
  const securityContext: FixChange = { path: ['spec', 'containers', 0, 'securityContext'], kind: 'set', value: { readOnlyRootFilesystem: true } };
  const volume: FixChange = { path: ['spec', 'volumes', 1], kind: 'set', value: { name: 'w', emptyDir: {} } };

  it('accepts a result that differs exactly where the changes say, with the values they say', () => {
    assert.deepEqual(unexplainedDifferences(before, after, [securityContext, volume]), []);
  });
  it('names a difference that no change explains, and a change that did not happen', () => {
    assert.deepEqual(unexplainedDifferences(before, after, [securityContext, { path: ['spec', 'volumes', 2], kind: 'set', value: { name: 'w', emptyDir: {} } }]), [
      'spec.volumes[1] changed from nothing to {"name":"w","emptyDir":{}}, which the fix does not name',
      'spec.volumes[2] was to be set to {"name":"w","emptyDir":{}}, but is not',
    ]);
  });
  it('requires the value a change names', () => {
    assert.deepEqual(unexplainedDifferences(before, after, [{ ...securityContext, value: { readOnlyRootFilesystem: 'true' } }, volume]), [
      'spec.containers[0].securityContext changed from nothing to {"readOnlyRootFilesystem":true}, which the fix does not name',
      'spec.containers[0].securityContext was to be set to {"readOnlyRootFilesystem":"true"}, but is not',
    ]);
  });
  it('tells an index from a key of the same digits', () => {
    assert.deepEqual(unexplainedDifferences({ a: ['x'] }, { a: ['y'] }, [{ path: ['a', '0'], kind: 'edited' }]),
      ['a[0] changed from "x" to "y", which the fix does not name', 'a["0"] was to be edited, but is not']);
    assert.deepEqual(unexplainedDifferences({ a: { 0: 'x' } }, { a: { 0: 'y' } }, [{ path: ['a', '0'], kind: 'edited' }]), []);
  });
  it('accepts removals and scalar edits where they are named', () => {
    const changes: FixChange[] = [{ path: ['a', 1], kind: 'removed' }, { path: ['c'], kind: 'edited' }];
    assert.deepEqual(unexplainedDifferences({ a: ['x', 'y'], c: 'chmod -R a-w / && nginx' }, { a: ['x'], c: 'nginx' }, changes), []);
    assert.deepEqual(unexplainedDifferences({ a: ['x', 'y'], c: 'nginx' }, { a: ['x', 'y'], c: 'nginx' }, changes), ['a[1] was to be removed, but is not', 'c was to be edited, but is not']);
  });
});

describe('danglingVolumeMounts', () => {
  it('finds mounts that name no volume of their pod spec, wherever the pod spec sits', () => {
    const deployment = {
      kind: 'Deployment',
      spec: { template: { spec: {
        volumes: [{ name: 'data', emptyDir: {} }],
        containers: [{ name: 'a', volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'cache', mountPath: '/c' }] }],
        initContainers: [{ name: 'i', volumeMounts: [{ name: 'data', mountPath: '/d' }] }],
      } } },
    };
    assert.deepEqual(danglingVolumeMounts(deployment), ['spec.template.spec.containers[0].volumeMounts[1]: "cache"']);
    assert.deepEqual(danglingVolumeMounts({ kind: 'List', items: [deployment.spec.template] }), ['items[0].spec.containers[0].volumeMounts[1]: "cache"']);
    assert.deepEqual(danglingVolumeMounts({ spec: { containers: [{ name: 'a' }] } }), []);
  });
});
