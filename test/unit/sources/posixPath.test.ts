// The sources' POSIX paths give node:path.posix's answers, on paths written to reach each branch of its
// algorithms and on random ones.
import * as assert from 'node:assert/strict';
import { posix } from 'node:path';
import * as posixPath from '../../../server/src/sources/posixPath';

const PATHS = ['', '/', '//', '.', './', '..', '../a', 'a/../..', '/..', '/a', '/a/', '/a//b/', '/a/b.yaml', '//a', 'a', 'a/b', 'a/b/',
  '/a//b/./c', '/a/b/../c', '/a b/c%d.yaml', './a/./b/.', 'a/b/../../../c/', '/a/b/../../..', '...', '/.../a'];

/** Paths of `a`, `b`, `.`, `..` and empty segments, some absolute, from a seeded generator so a failure repeats. */
function randomPaths(count: number): string[] {
  let seed = 19;
  const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const segments = ['a', 'b', '.', '..', '', 'c.yaml'];
  return Array.from({ length: count }, () => {
    const path = Array.from({ length: 1 + next(6) }, () => segments[next(segments.length)]).join('/');
    return next(2) ? `/${path}` : path;
  });
}

describe('sources: POSIX paths as node:path.posix', () => {
  for (const path of PATHS) {
    it(`normalize, dirname, basename, isAbsolute of ${JSON.stringify(path)}`, () => {
      assert.equal(posixPath.normalize(path), posix.normalize(path));
      assert.equal(posixPath.dirname(path), posix.dirname(path));
      assert.equal(posixPath.basename(path), posix.basename(path));
      assert.equal(posixPath.isAbsolute(path), posix.isAbsolute(path));
    });
  }

  const joins: string[][] = [['/a', 'b'], ['/a/', 'b.yaml'], ['/a', '../b'], ['/', '.kube-immutable.yaml'], ['/a', '', 'b'], [], [''], ['a', '../..'],
    ['/k/overlays/prod', '../../base/'], ['/k', './patch.yaml']];
  for (const parts of joins) {
    it(`join(${parts.map(p => JSON.stringify(p)).join(', ')})`, () => assert.equal(posixPath.join(...parts), posix.join(...parts)));
  }

  const absolute = PATHS.filter(path => path.startsWith('/'));
  for (const from of absolute) {
    it(`relative(${JSON.stringify(from)}, each absolute path)`, () => {
      for (const to of absolute) assert.equal(posixPath.relative(from, to), posix.relative(from, to), `to ${JSON.stringify(to)}`);
    });
  }

  const resolves: string[][] = [['/a', 'b'], ['/a/', 'b/'], ['/a', '../../..'], ['/a', '/b', 'c/./d/..'], ['/a', '', '.'], ['/'], ['/a//b/', '..//c'],
    ['/compose', 'base/compose.yaml'], ['/compose/app', '../shared/./x.yaml']];
  for (const parts of resolves) {
    it(`resolve(${parts.map(p => JSON.stringify(p)).join(', ')})`, () => assert.equal(posixPath.resolve(...parts), posix.resolve(...parts)));
  }

  it('resolves paths that are all relative from the root, where node:path would take the working directory', () => {
    assert.equal(posixPath.resolve('a', './b/'), '/a/b');
    assert.equal(posixPath.resolve(''), '/');
  });

  it('gives the same answers on 2000 random paths', () => {
    const paths = randomPaths(2000);
    for (const [i, path] of paths.entries()) {
      assert.equal(posixPath.normalize(path), posix.normalize(path), `normalize ${JSON.stringify(path)}`);
      assert.equal(posixPath.dirname(path), posix.dirname(path), `dirname ${JSON.stringify(path)}`);
      assert.equal(posixPath.basename(path), posix.basename(path), `basename ${JSON.stringify(path)}`);
      const other = paths[(i * 7 + 3) % paths.length];
      assert.equal(posixPath.join(path, other), posix.join(path, other), `join ${JSON.stringify(path)} ${JSON.stringify(other)}`);
      if (path.startsWith('/') && other.startsWith('/')) assert.equal(posixPath.relative(path, other), posix.relative(path, other), `relative ${path} ${other}`);
      if (path.startsWith('/')) assert.equal(posixPath.resolve(path, other), posix.resolve(path, other), `resolve ${path} ${other}`);
    }
  });
});
