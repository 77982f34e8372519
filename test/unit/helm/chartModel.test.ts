import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { gunzip } from '../../../server/src/diskFileSystem';
import { entryOrigin } from '../../../server/src/gotemplate/values';
import { readTar } from '../../../server/src/sources/helm/archive';
import { loadChart } from '../../../server/src/sources/helm/chart';
import { coalesceValues, mergeMaps } from '../../../server/src/sources/helm/coalesce';
import { processDependencies, valuesChart } from '../../../server/src/sources/helm/dependencies';
import { IgnoreRules } from '../../../server/src/sources/helm/helmignore';
import { sortManifests, splitManifests } from '../../../server/src/sources/helm/manifests';
import { pathMatch } from '../../../server/src/sources/helm/pathMatch';
import { parseSet } from '../../../server/src/sources/helm/strvals';
import { readValues } from '../../../server/src/sources/helm/valuesFile';
import { globMatch } from '../../../server/src/sources/helm/objects';
import { memoryFileSystem } from './memoryFileSystem';

/** A ustar archive of text files, as `helm package` writes one (a top folder named after the chart). */
function tar(files: Record<string, string>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = new TextEncoder().encode(text);
    const header = new Uint8Array(512);
    header.set(new TextEncoder().encode(name), 0);
    header.set(new TextEncoder().encode(body.length.toString(8).padStart(11, '0')), 124);
    header[156] = '0'.charCodeAt(0);
    header.set(new TextEncoder().encode('ustar'), 257);
    blocks.push(header, body, new Uint8Array((512 - (body.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const block of blocks) { out.set(block, at); at += block.length; }
  return out;
}

describe('Helm chart model', () => {
  describe('--set syntax', () => {
    const set = (argument: string, strings = false) => { const into = {}; parseSet(argument, into, { strings }); return into; };
    it('nests dotted keys, types values as Helm does and keeps --set-string values as text', () => {
      assert.deepEqual(set('a.b=1,c=true,d=null,e=0,f=012,g=x'), { a: { b: 1n }, c: true, d: null, e: 0n, f: '012', g: 'x' });
      assert.deepEqual(set('a.b=1,c=true', true), { a: { b: '1' }, c: 'true' });
    });
    it('reads lists, indexes and escapes', () => {
      assert.deepEqual(set('l={a,b,3}'), { l: ['a', 'b', 3n] });
      assert.deepEqual(set('l[1]=x,m[0].n=y'), { l: [null, 'x'], m: [{ n: 'y' }] });
      assert.deepEqual(set('a\\.b=c\\,d'), { 'a.b': 'c,d' });
    });
    it('refuses a key without a value', () => {
      assert.throws(() => set('a'), /key "a" has no value/);
      assert.throws(() => set('a,b=1'), /key "a" has no value \(cannot end with ,\)/);
    });
  });

  describe('values', () => {
    it('reads numbers as floats, YAML 1.1 booleans (keys too, as text) and merge keys, and remembers where each entry was written', () => {
      const text = 'base: &b {x: 1}\nimage:\n  tag: latest\n  pull: yes\n  on: 1\nderived:\n  <<: *b\n  z: 2.5\n';
      const values = readValues(text, '/c/values.yaml');
      assert.deepEqual(values, { base: { x: 1 }, image: { tag: 'latest', pull: true, true: 1 }, derived: { x: 1, z: 2.5 } });
      const origin = entryOrigin(values.image as object, 'tag')!;
      assert.equal(text.slice(origin.start, origin.end), 'tag: latest');
    });
    it('refuses an alias bomb with a clear error', () => {
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
      assert.throws(() => readValues(bomb, 'v.yaml'), /alias bomb/);
    });
    it('coalesces chart defaults under user values: null deletes, tables merge, globals reach subcharts', () => {
      const chart = {
        name: 'top', values: { a: 1, b: { c: 2, d: 3 }, gone: 'x', global: { region: 'eu' } },
        dependencies: [{ name: 'sub', values: { own: true, global: { tier: 'web' } }, dependencies: [] }],
      };
      const result = coalesceValues(chart, { b: { c: 5 }, gone: null, sub: { own: false } });
      assert.deepEqual(result, {
        b: { c: 5, d: 3 }, a: 1, global: { region: 'eu' },
        sub: { own: false, global: { region: 'eu', tier: 'web' } },
      });
    });
    it('merges values files deeply, later ones winning', () => {
      assert.deepEqual(mergeMaps({ a: { b: 1, c: 2 }, l: [1] }, { a: { b: 3 }, l: [2] }), { a: { b: 3, c: 2 }, l: [2] });
    });
  });

  describe('files', () => {
    it('matches paths as Go does: * and ? stop at /, classes, escapes', () => {
      assert.equal(pathMatch('templates/*.yaml', 'templates/a.yaml'), true);
      assert.equal(pathMatch('templates/*.yaml', 'templates/sub/a.yaml'), false);
      assert.equal(pathMatch('[a-c]?.txt', 'b1.txt'), true);
      assert.equal(pathMatch('[^a-c]?.txt', 'b1.txt'), false);
      assert.throws(() => pathMatch('[', 'x'));
      assert.equal(globMatch('files/**.conf', 'files/a/b.conf'), true);
      assert.equal(globMatch('files/*.{conf,ini}', 'files/b.ini'), true);
    });
    it('leaves out what .helmignore names, and hidden files under templates/', () => {
      const rules = IgnoreRules.parse('# comment\n*.bak\n/docs/\nsecret/*.key\n');
      assert.equal(rules.ignores('a/b.bak', false), true);
      assert.equal(rules.ignores('docs', true), true);
      assert.equal(rules.ignores('docs', false), false);
      assert.equal(rules.ignores('secret/x.key', false), true);
      assert.equal(rules.ignores('templates/.hidden', false), true);
      assert.equal(rules.ignores('templates/x.yaml', false), false);
      assert.throws(() => IgnoreRules.parse('**/x'), /double-star/);
    });
    it('loads a chart directory with a subchart folder and a subchart archive', () => {
      const archive = gzipSync(tar({
        'lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n',
        'lib/templates/_x.tpl': '{{ define "lib.x" }}x{{ end }}',
      }));
      const fs = memoryFileSystem({
        '/c/Chart.yaml': 'apiVersion: v2\nname: top\nversion: 0.1.0\n',
        '/c/values.yaml': 'a: 1\n',
        '/c/.helmignore': '*.md\n',
        '/c/README.md': 'ignored',
        '/c/files/app.conf': 'x=1',
        '/c/templates/cm.yaml': 'kind: ConfigMap',
        '/c/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.2.0\n',
        '/c/charts/sub/templates/s.yaml': 'kind: Service',
        '/c/charts/lib-1.0.0.tgz': archive,
      });
      const chart = loadChart('/c', fs, { gunzip });
      assert.equal(chart.metadata.name, 'top');
      assert.deepEqual(chart.values, { a: 1 });
      assert.deepEqual(chart.templates.map(t => t.name), ['templates/cm.yaml']);
      assert.deepEqual(chart.files.map(f => f.name), ['.helmignore', 'files/app.conf']);
      assert.deepEqual(chart.dependencies.map(d => [d.metadata.name, d.archived, d.templates.map(t => t.name)]), [
        ['lib', true, ['templates/_x.tpl']], ['sub', false, ['templates/s.yaml']],
      ]);
      assert.deepEqual([...readTar(gunzip(archive)).keys()], ['lib/Chart.yaml', 'lib/templates/_x.tpl']);
    });
    it('refuses a packed subchart without a gunzip (the browser host\'s case), naming it', () => {
      const fs = memoryFileSystem({
        '/c/Chart.yaml': 'apiVersion: v2\nname: top\nversion: 0.1.0\n',
        '/c/charts/lib-1.0.0.tgz': gzipSync(tar({ 'lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\n' })),
      });
      assert.throws(() => loadChart('/c', fs), {
        name: 'Error',
        message: 'error unpacking subchart lib-1.0.0.tgz in top: /c/charts/lib-1.0.0.tgz is a packed chart, which kube-immutable reads only where it runs in Node (the CLI, desktop VS Code); '
          + 'unpacked (helm pull --untar), it is read everywhere',
      });
    });
    it('says why Chart.yaml is refused', () => {
      const load = (chartYaml: string) => () => loadChart('/c', memoryFileSystem({ '/c/Chart.yaml': chartYaml }));
      assert.throws(load('apiVersion: v2\nname: x\n'), /validation: chart.metadata.version is required/);
      assert.throws(load('apiVersion: v2\nname: x\nversion: 1.0.0\ntype: Library\n'), /validation: chart.metadata.type must be application or library/);
      assert.throws(() => loadChart('/none', memoryFileSystem({})), /not found/);
    });
    it('switches subcharts off by condition and tags, and imports their exported values', () => {
      const fs = memoryFileSystem({
        '/c/Chart.yaml': 'apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: a\n  version: ~1.0.0\n  condition: a.enabled\n  import-values: [data]\n- name: b\n  version: 1.x\n  tags: [extra]\n',
        '/c/values.yaml': 'tags:\n  extra: false\n',
        '/c/charts/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 1.0.3\n',
        '/c/charts/a/values.yaml': 'enabled: true\nexports:\n  data:\n    imported: yes\n',
        '/c/charts/b/Chart.yaml': 'apiVersion: v2\nname: b\nversion: 1.2.0\n',
      });
      const chart = loadChart('/c', fs);
      processDependencies(chart, {}, () => {});
      assert.deepEqual(chart.dependencies.map(d => d.metadata.name), ['a']);
      assert.equal(coalesceValues(valuesChart(chart), {}).imported, true);
      const off = loadChart('/c', fs);
      processDependencies(off, { a: { enabled: false } }, () => {});
      assert.deepEqual(off.dependencies.map(d => d.metadata.name), []);
    });
  });

  describe('manifests', () => {
    it('cuts files at lines that start with ---, dropping the white space after each marker and keeping the lines before it', () => {
      assert.deepEqual(splitManifests('\n---\na: 1\n  \n---  \n\nb: 2\n---\n---\n\n').map(d => d.content), ['a: 1\n  \n', 'b: 2\n']);
      assert.deepEqual(splitManifests('a: "x\n---y"\n').map(d => d.content), ['a: "x\n', 'y"\n']);
      const text = 'x: 1\n---\ny: 2';
      assert.deepEqual(splitManifests(text).map(d => text.slice(d.offset, d.offset + d.content.length)), ['x: 1\n', 'y: 2']);
    });
    it('sorts by install order, then file path and position; sets hooks apart and skips partials', () => {
      const files = new Map([
        ['c/templates/b.yaml', 'kind: Deployment\n---\nkind: Service\n---\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: post-install\n'],
        ['c/templates/a.yaml', 'kind: Deployment\n---\nkind: Zebra\n---\nkind: Alpha\n'],
        ['c/templates/_h.tpl', 'kind: Namespace'],
      ]);
      const { manifests, hooks } = sortManifests(files);
      assert.deepEqual(manifests.map(m => `${m.path.slice(12)}:${m.kind}`), ['b.yaml:Service', 'a.yaml:Deployment', 'b.yaml:Deployment', 'a.yaml:Alpha', 'a.yaml:Zebra']);
      assert.deepEqual(hooks.map(h => [h.kind, h.hookEvents]), [['Job', ['post-install']]]);
    });
    it('names the file of a document that is not YAML', () => {
      assert.throws(() => sortManifests(new Map([['c/templates/x.yaml', 'a: b\ninvalid']])), /YAML parse error on c\/templates\/x.yaml: error converting YAML to JSON: yaml: line 3: could not find expected ':'/);
    });
  });
});
