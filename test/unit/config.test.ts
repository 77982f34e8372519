import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  configurableRuleIds, ConfigProblem, mergeConfig, parseConfigFile, parseSettings, parseDirective, RULES, SEVERITY_SETTINGS,
} from '../../server/src/engine';
import { matchesAnyGlob } from '../../server/src/glob';
import { formatRange, yaml } from '../helpers';

const ROOT = join(__dirname, '..', '..', '..');
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

const problems = (list: ConfigProblem[]) => list.map(p => `${p.path} ${p.range ? formatRange(p.range) : '-'} ${p.message}`);

describe('configuration', () => {
  describe('.kube-immutable.yaml', () => {
    it('reads every key', () => {
      const { layer, problems: found } = parseConfigFile(yaml`
        rules:
          readonly-root-filesystem: error
          mutable-image-reference: off
        exclude: ["vendor/**", "*.generated.yaml"]
        imageWritePaths:
          registry.example.com/shop/web: [/var/cache/web, /tmp]
        exemptImages: [registry.example.com/debug/*]
        peerAnnotations: false
        podSecurity:
          namespaces: {prod: restricted, "*": baseline}
      `);
      assert.deepEqual(found, []);
      assert.deepEqual(layer, {
        rules: { 'readonly-root-filesystem': 'error', 'mutable-image-reference': 'off' },
        exclude: ['vendor/**', '*.generated.yaml'],
        imageWritePaths: { 'registry.example.com/shop/web': ['/var/cache/web', '/tmp'] },
        exemptImages: ['registry.example.com/debug/*'],
        peerAnnotations: false,
        podSecurity: { namespaces: { prod: 'restricted', '*': 'baseline' } },
      });
    });

    it('accepts an empty file and a file of comments', () => {
      assert.deepEqual(parseConfigFile(''), { layer: {}, problems: [] });
      assert.deepEqual(parseConfigFile('# nothing yet\n'), { layer: {}, problems: [] });
    });

    const cases: { name: string; text: string; expected: RegExp[] | string[]; kept?: object }[] = [
      {
        name: 'an unknown key, on the key',
        text: 'rules: {}\nrulez:\n  readonly-root-filesystem: off\n',
        expected: ['rulez 2:1-2:6 Unknown key "rulez": expected one of rules, exclude, imageWritePaths, exemptImages, peerAnnotations, podSecurity.'],
        kept: { rules: {} },
      },
      {
        name: 'an unknown rule, on its id, and the other rules still apply',
        text: 'rules:\n  readonly-root-filesytem: off\n  chmod-immutability-hack: error\n',
        expected: [/^rules\.readonly-root-filesytem 2:3-2:26 Unknown rule "readonly-root-filesytem": expected one of readonly-root-filesystem, /],
        kept: { rules: { 'chmod-immutability-hack': 'error' } },
      },
      {
        name: 'a Pod Security level that is not one of the three, on the value; the other namespaces still apply',
        text: 'podSecurity:\n  namespaces:\n    prod: strict\n    dev: baseline\n',
        expected: ['podSecurity.namespaces.prod 3:11-3:17 The level of namespace "prod" must be privileged, baseline or restricted.'],
        kept: { podSecurity: { namespaces: { dev: 'baseline' } } },
      },
      {
        name: 'podSecurity with a key other than namespaces',
        text: 'podSecurity:\n  enforce: restricted\n',
        expected: ['podSecurity.enforce 2:3-2:10 Unknown key "enforce": podSecurity must be a mapping with the key namespaces: a mapping of namespace (or *) to privileged, baseline or restricted.'],
        kept: { podSecurity: { namespaces: {} } },
      },
      {
        name: 'podSecurity that is not a mapping',
        text: 'podSecurity: restricted\n',
        expected: ['podSecurity 1:14-1:24 podSecurity must be a mapping with the key namespaces: a mapping of namespace (or *) to privileged, baseline or restricted.'],
        kept: {},
      },
      {
        name: 'a bad severity, on the value',
        text: 'rules:\n  readonly-root-filesystem: loud\n',
        expected: ['rules.readonly-root-filesystem 2:29-2:33 The severity of readonly-root-filesystem must be one of off, hint, info, warning, error.'],
        kept: { rules: {} },
      },
      {
        name: 'a list that is not a list',
        text: 'exclude: vendor/**\n',
        expected: ['exclude 1:10-1:19 exclude must be a list of glob patterns.'],
        kept: {},
      },
      {
        name: 'a relative write path, on the path',
        text: 'imageWritePaths:\n  shop/web: [/tmp, var/cache]\n',
        expected: ['imageWritePaths.shop/web 2:20-2:29 "var/cache" is not an absolute path.'],
        kept: { imageWritePaths: {} },
      },
      {
        name: 'a boolean that is a string',
        text: 'peerAnnotations: "no"\n',
        expected: ['peerAnnotations 1:18-1:22 peerAnnotations must be true or false.'],
        kept: {},
      },
      {
        name: 'a file that is not a mapping',
        text: '- rules\n',
        expected: [' 1:1-2:1 The configuration must be a mapping of keys such as rules, exclude, imageWritePaths, exemptImages, peerAnnotations, podSecurity.'],
        kept: {},
      },
      {
        name: 'a syntax error, where the parser stopped',
        text: 'rules: {readonly-root-filesystem: off\n',
        expected: [/^ 2:1-2:2 YAML syntax error: /],
        kept: {},
      },
    ];
    for (const { name, text, expected, kept } of cases) {
      it(`reports ${name}`, () => {
        const parsed = parseConfigFile(text);
        const actual = problems(parsed.problems);
        assert.equal(actual.length, expected.length, actual.join('\n'));
        expected.forEach((e, i) => typeof e === 'string' ? assert.equal(actual[i], e) : assert.match(actual[i], e));
        assert.deepEqual(parsed.layer, kept);
      });
    }
  });

  describe('editor settings', () => {
    it('validates the kubeImmutable section with the same model, without positions', () => {
      const parsed = parseSettings({ rules: { 'readonly-root-filesystem': 'hint', 'no-such-rule': 'off' }, exclude: ['tmp/**'], peerAnnotations: true });
      assert.deepEqual(parsed.layer, { rules: { 'readonly-root-filesystem': 'hint' }, exclude: ['tmp/**'], peerAnnotations: true });
      assert.deepEqual(problems(parsed.problems), [`rules.no-such-rule - Unknown rule "no-such-rule": expected one of ${configurableRuleIds().join(', ')}.`]);
    });
  });

  describe('precedence', () => {
    it('the file wins key by key, settings fill in the rest, lists are joined', () => {
      const settings = { rules: { 'readonly-root-filesystem': 'hint' as const, 'run-as-root': 'warning' as const }, exclude: ['a/**'], exemptImages: ['x'], peerAnnotations: false, imageWritePaths: { web: ['/a'] } };
      const file = { rules: { 'readonly-root-filesystem': 'error' as const }, exclude: ['b/**', 'a/**'], imageWritePaths: { web: ['/b'], api: ['/c'] } };
      assert.deepEqual(mergeConfig(settings, file), {
        rules: { 'readonly-root-filesystem': 'error', 'run-as-root': 'warning' },
        exclude: ['a/**', 'b/**'],
        imageWritePaths: { web: ['/a', '/b'], api: ['/c'] },
        exemptImages: ['x'],
        peerAnnotations: false,
        podSecurityNamespaces: {},
      });
      assert.deepEqual(mergeConfig({ podSecurity: { namespaces: { prod: 'baseline', '*': 'baseline' } } }, { podSecurity: { namespaces: { prod: 'restricted' } } }).podSecurityNamespaces,
        { prod: 'restricted', '*': 'baseline' });
      assert.equal(mergeConfig({ peerAnnotations: false }, { peerAnnotations: true }).peerAnnotations, true);
      assert.equal(mergeConfig({}, {}).peerAnnotations, true);
    });
  });

  describe('exclude globs', () => {
    const cases: [string, string, boolean][] = [
      ['vendor/**', 'vendor/a/b.yaml', true],
      ['vendor/**', 'src/vendor/a.yaml', false],
      ['vendor', 'vendor/a.yaml', true],
      ['vendor', 'deep/vendor/a.yaml', true],
      ['*.generated.yaml', 'k8s/app.generated.yaml', true],
      ['*.generated.yaml', 'k8s/app.yaml', false],
      ['/top.yaml', 'top.yaml', true],
      ['/top.yaml', 'sub/top.yaml', false],
      ['k8s/*/secret.yaml', 'k8s/prod/secret.yaml', true],
      ['k8s/*/secret.yaml', 'k8s/prod/eu/secret.yaml', false],
      ['k8s/**/secret.yaml', 'k8s/prod/eu/secret.yaml', true],
      ['**/*.{yml,yaml}', 'a/b.yml', true],
      ['env-[ab].yaml', 'env-b.yaml', true],
      ['env-[!ab].yaml', 'env-b.yaml', false],
      ['a?c.yaml', 'abc.yaml', true],
      ['a.c.yaml', 'abc.yaml', false],
    ];
    for (const [glob, path, expected] of cases) {
      it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(matchesAnyGlob(path, [glob]), expected));
    }
  });

  describe('contributions stay in step with the rules', () => {
    it('the JSON schema lists every configurable rule with its default, and every key of the model', () => {
      const schema = readJson('schemas/kube-immutable.schema.json');
      const rules = schema.properties.rules.properties;
      assert.deepEqual(Object.keys(rules).sort(), configurableRuleIds().sort());
      for (const rule of RULES) assert.equal(rules[rule.meta.id].default, rule.meta.defaultSeverity, rule.meta.id);
      assert.deepEqual(Object.keys(schema.properties).sort(), ['exclude', 'exemptImages', 'imageWritePaths', 'peerAnnotations', 'podSecurity', 'rules']);
      assert.equal(schema.additionalProperties, false);
    });

    it('package.json declares a setting per rule with the severities and its default, and contributes the schema and grammar', () => {
      const { contributes } = readJson('package.json');
      const properties = contributes.configuration.properties;
      for (const id of configurableRuleIds()) {
        const setting = properties[`kubeImmutable.rules.${id}`];
        assert.ok(setting, `kubeImmutable.rules.${id} is declared`);
        assert.deepEqual(setting.enum, SEVERITY_SETTINGS);
        assert.ok(setting.markdownDescription);
      }
      for (const rule of RULES) assert.equal(properties[`kubeImmutable.rules.${rule.meta.id}`].default, rule.meta.defaultSeverity);
      for (const key of ['workspace.scan', 'exclude', 'peerAnnotations', 'podSecurity']) assert.ok(properties[`kubeImmutable.${key}`]?.markdownDescription, key);
      assert.deepEqual(contributes.yamlValidation, [{ fileMatch: '.kube-immutable.yaml', url: './schemas/kube-immutable.schema.json' }]);
      const [grammar] = contributes.grammars;
      assert.deepEqual(grammar.injectTo, ['source.yaml']);
      assert.equal(readJson(grammar.path).scopeName, grammar.scopeName);
    });

    it('the injection grammar highlights exactly the directives the engine reads', () => {
      const { contributes } = readJson('package.json');
      const grammar = readJson(contributes.grammars[0].path);
      // The pattern uses only syntax that Oniguruma and JavaScript read alike, so it can be run here.
      const directive = new RegExp(grammar.repository.directive.match);
      // Comment lines only: the grammar is injected into YAML comments, and the engine reads comment lines.
      const lines = ['# kube-immutable-ignore a-b, c -- the reason', '  #kube-immutable-ignore-file', '# kube-immutable-ignore -- no rule',
        '# kube-immutable-ignored a', '# see kube-immutable-ignore docs', '# kube-immutable-ignore a--b'];
      for (const line of lines) {
        const engine = parseDirective(line, 0);
        const match = directive.exec(line);
        assert.equal(!!match, !!engine, line);
        if (!engine || !match) continue;
        assert.deepEqual([...(match[2] ?? '').matchAll(/[^\s,]+/g)].map(m => m[0]), engine.rules.map(r => r.id), line);
        assert.equal(match[4] || undefined, engine.reason, line);
      }
    });
  });
});
