// Compose files built to hurt: cycles of `extends`, aliases that expand without end, services that are not maps.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/engine';
import { formatRange, yaml } from '../../helpers';
import { analyzeComposeProject } from '../../../server/src/sources/compose/findings';
import { loadComposeProject } from '../../../server/src/sources/compose/project';
import { memoryTree } from '../kustomize/memoryTree';

const summary = (text: string) => {
  const result = analyzeText(text, { allRules: true });
  return { documents: result.documents.map(doc => `${doc.status} ${doc.kind ?? ''}`.trim()), errors: result.errors ?? [], findings: result.findings };
};

describe('hostile Compose files', () => {
  it('a cycle of extends ends, each service read once per layer', () => {
    const { documents, errors, findings } = summary(yaml`
      services:
        a: {extends: b, image: "registry.example.com/a:1.0.0", read_only: true}
        b: {extends: a, image: "registry.example.com/b:1.0.0"}
        c: {extends: c, image: "registry.example.com/c:1.0.0"}
    `);
    assert.deepEqual(documents, ['analysed Compose']);
    assert.deepEqual(errors, []);
    assert.deepEqual(findings.filter(f => f.rule === 'readonly-root-filesystem').map(f => f.container), ['c']);
  });

  it('an alias bomb is a parse error, not an expansion', () => {
    const { documents, findings } = summary(yaml`
      x-a: &a [x, x, x, x, x, x, x, x, x, x]
      x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
      x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
      x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
      x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
      x-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
      x-g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
      services:
        web: {image: "nginx:1.27", command: *g}
    `);
    assert.deepEqual(documents, ['parse-error Compose']);
    assert.deepEqual(findings.map(f => `${f.rule} ${formatRange(f.range)}`), ['parse-error 4:38-4:40']);
  });

  it('a merge key that merges its own map, and values of every type, are read without a crash', () => {
    const { documents, errors } = summary(yaml`
      services:
        web: &web
          <<: *web
          image: [not, a, string]
          read_only: {a: 1}
          user: [0]
          volumes: [1, null, {type: bind}, ":", "::::"]
          tmpfs: {a: b}
          cap_add: [{x: 1}, 7]
          security_opt: no-new-privileges:false
          command: {sh: 1}
          healthcheck: {test: 7}
    `);
    assert.deepEqual(documents, ['analysed Compose']);
    assert.deepEqual(errors, []);
  });

  it('services that are not maps of maps are not a Compose file', () => {
    assert.deepEqual(summary('services: [web, db]\n').documents, ['not-kubernetes']);
    assert.deepEqual(summary('services:\n  web: nginx\n').documents, ['not-kubernetes']);
  });

  describe('in a project', () => {
    const HARDENED = 'read_only: true, user: "1000", security_opt: [no-new-privileges:true], cap_drop: [ALL]';
    const problems = (files: Record<string, string>) => {
      const { findings, errors } = analyzeComposeProject(loadComposeProject(['/p/compose.yaml'], memoryTree(files)), { allRules: true });
      assert.deepEqual(errors, []);
      return findings.filter(f => f.rule === 'compose-project').map(f => `${f.file} ${formatRange(f.range)} ${f.message.replace(/: its? .*/, '')}`);
    };

    it('an included file that is binary, nests too deeply, or has an alias bomb: an error on it, the project still read', () => {
      const bomb = ['x-a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((c, i) => `x-${c}: &${c} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`), 'services: {}', ''].join('\n');
      assert.deepEqual(problems({
        '/p/compose.yaml': `include: [binary.yaml, deep.yaml, bomb.yaml]\nservices:\n  web: {image: "registry.example.com/web:1.0.0", ${HARDENED}}\n`,
        '/p/binary.yaml': 'services:\0\n',
        '/p/deep.yaml': `services: ${'['.repeat(5000)}\n`,
        '/p/bomb.yaml': bomb,
      }), [
        '/p/binary.yaml 1:1-1:1 binary.yaml is not read as a part of the Compose project',
        '/p/bomb.yaml 4:38-4:40 bomb.yaml is not read as a part of the Compose project',
        '/p/deep.yaml 1:521-1:522 deep.yaml is not read as a part of the Compose project',
      ]);
    });

    it('a diamond of includes 40 levels deep is read once per file, quickly', () => {
      const files: Record<string, string> = { '/p/compose.yaml': 'include: [l0a.yaml, l0b.yaml]\nservices: {}\n' };
      for (let level = 0; level < 40; level++) {
        const next = level < 39 ? `include: [l${level + 1}a.yaml, l${level + 1}b.yaml]\n` : '';
        for (const side of ['a', 'b']) files[`/p/l${level}${side}.yaml`] = `${next}services:\n  s${level}${side}: {image: "registry.example.com/s:1.0.0", ${HARDENED}}\n`;
      }
      const project = loadComposeProject(['/p/compose.yaml'], memoryTree(files));
      assert.equal(project.services.length, 80);
      assert.deepEqual(project.problems, []);
    });

    it('a chain of extends across 500 files ends, each read once', () => {
      const files: Record<string, string> = { '/p/compose.yaml': 'services:\n  web:\n    extends: {file: f0.yaml, service: s}\n    image: registry.example.com/web:1.0.0\n' };
      for (let i = 0; i < 500; i++) files[`/p/f${i}.yaml`] = i < 499 ? `services:\n  s: {extends: {file: f${i + 1}.yaml, service: s}}\n` : `services:\n  s: {${HARDENED}}\n`;
      const project = loadComposeProject(['/p/compose.yaml'], memoryTree(files));
      assert.equal(project.services[0].layers.length, 501);
      assert.equal(project.services[0].partial, false);
      assert.deepEqual(problems(files), []);
    });

    it('a chain file that is missing, or a list: an error on the base file, the others still read', () => {
      const { findings } = analyzeComposeProject(loadComposeProject(['/p/compose.yaml', '/p/compose.override.yaml', '/p/gone.yaml'], memoryTree({
        '/p/compose.yaml': `services:\n  web: {image: "registry.example.com/web:1.0.0", ${HARDENED}}\n`,
        '/p/compose.override.yaml': '- not\n- compose\n',
      })), {});
      assert.deepEqual(findings.filter(f => f.rule === 'compose-project').map(f => `${f.file} ${formatRange(f.range)} ${f.message}`), [
        '/p/compose.override.yaml 1:1-1:1 compose.override.yaml is not read as a part of the Compose project: it is not a Compose file (a top-level map whose services: maps names to services, without apiVersion or kind).',
        '/p/compose.yaml 1:1-1:1 gone.yaml, a file of the Compose project, cannot be read: it is not there.',
      ]);
    });
  });
});
