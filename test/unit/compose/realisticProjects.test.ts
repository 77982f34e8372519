// Multi-file Compose projects of the realistic set (test/fixtures/compose-projects): each one's findings under the
// default configuration, `file line:col-line:col severity rule service`, and every preferred fix of each made
// alone: valid YAML in every file it edits, the lines outside its edits unchanged, and its finding gone.
import * as assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';
import { DiskFileSystem } from '../../../server/src/diskFileSystem';
import { defaultChain } from '../../../server/src/sources/compose/chains';
import { analyzeComposeProject, ComposeFinding } from '../../../server/src/sources/compose/findings';
import { loadComposeProject } from '../../../server/src/sources/compose/project';
import { SourceFileSystem } from '../../../server/src/sources/origin';
import { formatRange } from '../../helpers';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'compose-projects');

/** The chain of each project: its folder's default, or the files `docker compose -f ... -f ...` would be given. */
const CHAINS: Record<string, string[] | undefined> = {
  'anchors-reset': undefined,
  'extends-common': undefined,
  'include-stack': undefined,
  'prod-chain': ['compose.yaml', 'compose.prod.yaml'],
  'webapp-override': undefined,
};

const EXPECTED: Record<string, string[]> = {
  'anchors-reset': [
    // The override resets security_opt for the queue: reported (and fixed) on that `!reset`.
    'compose.override.yaml 3:5-3:17 warning privilege-escalation queue',
    'compose.override.yaml 4:11-4:14 warning run-as-root queue',
    // One anchored read_only: false, once per service that merges it.
    'compose.yaml 3:14-3:19 warning readonly-root-filesystem web',
    'compose.yaml 3:14-3:19 warning readonly-root-filesystem queue',
    'compose.yaml 12:39-12:46 hint mutable-image-reference web',
    'compose.yaml 15:20-15:38 hint mutable-image-reference queue',
  ],
  'extends-common': [
    // The image both services extend is written in common-services.yaml.
    'common-services.yaml 13:52-13:59 hint mutable-image-reference web',
    'common-services.yaml 13:52-13:59 hint mutable-image-reference worker',
    'compose.yaml 12:15-12:22 warning capabilities worker',
    'compose.yaml 16:51-16:57 hint mutable-image-reference scheduler',
    'compose.yaml 17:16-17:21 warning readonly-root-filesystem scheduler',
  ],
  'include-stack': [
    'compose.yaml 12:36-12:42 hint mutable-image-reference app',
    // db/compose.local.yaml is merged over db/compose.yaml, as the long syntax's path list says.
    'db/compose.local.yaml 4:9-4:43 warning writable-host-path db',
    'db/compose.yaml 3:19-3:24 hint mutable-image-reference db',
    'db/compose.yaml 8:15-8:20 warning capabilities db',
    'db/compose.yaml 8:22-8:28 warning capabilities db',
    'db/compose.yaml 8:30-8:36 warning capabilities db',
    'monitoring/compose.yaml 3:27-3:35 hint mutable-image-reference prometheus',
    'monitoring/compose.yaml 9:9-9:56 warning writable-host-path prometheus',
    'monitoring/compose.yaml 12:3-12:11 warning readonly-root-filesystem cadvisor',
    'monitoring/compose.yaml 12:3-12:11 warning run-as-root cadvisor',
    'monitoring/compose.yaml 12:3-12:11 warning privilege-escalation cadvisor',
    'monitoring/compose.yaml 12:3-12:11 warning capabilities cadvisor',
    'monitoring/compose.yaml 13:36-13:44 hint mutable-image-reference cadvisor',
    'monitoring/compose.yaml 14:17-14:21 error privileged-container cadvisor',
    'monitoring/compose.yaml 17:9-17:53 error writable-host-path cadvisor',
  ],
  'prod-chain': [
    // compose.prod.yaml resets the source bind mount and hardens the service.
    'compose.yaml 3:37-3:43 hint mutable-image-reference web',
  ],
  'webapp-override': [
    'compose.override.yaml 4:16-4:21 warning readonly-root-filesystem api',
    'compose.override.yaml 6:9-6:27 warning writable-host-path api',
    'compose.override.yaml 7:15-7:25 warning capabilities api',
    'compose.override.yaml 11:16-11:21 warning readonly-root-filesystem static',
    'compose.yaml 8:3-8:8 warning run-as-root proxy',
    'compose.yaml 10:39-10:46 hint mutable-image-reference proxy',
    'compose.yaml 17:41-17:47 hint mutable-image-reference api',
    'compose.yaml 23:17-23:24 hint mutable-image-reference static',
    // db has no override of what is checked: its missing keys stay on its name in compose.yaml.
    'compose.yaml 28:3-28:5 warning readonly-root-filesystem db',
    'compose.yaml 28:3-28:5 warning capabilities db',
    'compose.yaml 29:20-29:25 hint mutable-image-reference db',
  ],
};

function chainOf(name: string, fs: SourceFileSystem): string[] {
  const dir = join(FIXTURES, name);
  return CHAINS[name]?.map(file => join(dir, file)) ?? defaultChain(dir, fs)!;
}

function findingsOf(name: string, fs: SourceFileSystem = new DiskFileSystem()) {
  return analyzeComposeProject(loadComposeProject(chainOf(name, fs), fs), {});
}

const line = (name: string) => (f: ComposeFinding) =>
  `${relative(join(FIXTURES, name), f.file)} ${formatRange(f.range)} ${f.severity} ${f.rule}${f.container ? ` ${f.container}` : ''}`;

/** The same problem: a fix must leave none like it. */
const identity = (f: ComposeFinding) => [f.rule, f.messageId, f.container, f.message].join('\0');

describe('realistic Compose projects', () => {
  for (const name of Object.keys(CHAINS)) {
    it(`${name}: its findings, in the files that hold them`, () => {
      const { findings, errors } = findingsOf(name);
      assert.deepEqual(errors, []);
      assert.deepEqual(findings.map(line(name)), EXPECTED[name]);
    });

    it(`${name}: every preferred fix alone gives valid YAML, changes only its lines, and clears its finding`, () => {
      const disk = new DiskFileSystem();
      const { findings } = findingsOf(name, disk);
      const preferred = findings.flatMap(finding => (finding.fixes ?? []).filter(fix => fix.isPreferred).map(fix => ({ finding, fix })));
      for (const { finding, fix } of preferred) {
        const fixed = new Map<string, string>();
        for (const change of fix.changes) {
          const before = disk.readFile(change.file)!;
          const after = applyTextEdits(before, change.edits);
          fixed.set(change.file, after);
          const errors = parseAllDocuments(after).flatMap(doc => ('errors' in doc ? doc.errors : []));
          assert.deepEqual(errors.map(e => e.message), [], `${fix.title}: ${change.file} parses`);
          const [old, now] = [before.split('\n'), after.split('\n')];
          const first = Math.min(...change.edits.map(edit => edit.range.start.line));
          const last = Math.max(...change.edits.map(edit => edit.range.end.line));
          assert.deepEqual(now.slice(0, first), old.slice(0, first), `${fix.title}: the lines before its edits`);
          assert.deepEqual(now.slice(now.length - (old.length - last - 1)), old.slice(last + 1), `${fix.title}: the lines after its edits`);
        }
        const after = findingsOf(name, new DiskFileSystem(path => fixed.get(path)));
        assert.deepEqual(after.errors, []);
        assert.ok(!after.findings.some(f => identity(f) === identity(finding)), `${fix.title} clears ${identity(finding)}`);
      }
    });
  }

  it('applies preferred fixes across files', () => {
    const across = Object.keys(CHAINS).flatMap(name => findingsOf(name).findings)
      .flatMap(f => f.fixes ?? []).filter(fix => fix.isPreferred && fix.changes.length > 1);
    assert.ok(across.length > 0, 'a preferred fix that edits two files');
  });
});
