// Compose files built to hurt: cycles of `extends`, aliases that expand without end, services that are not maps.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/engine';
import { formatRange, yaml } from '../../helpers';

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
});
