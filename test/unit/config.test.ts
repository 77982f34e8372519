import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIG_LIMITS, configurableRuleIds, ConfigProblem, matchesAnyGlob, mergeConfig, parseConfigFile, parseSettings, parseDirective, RULES, SEVERITY_SETTINGS,
} from '../../server/src/engine';
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
        expected: ['rulez 2:1-2:6 Unknown key "rulez": expected one of rules, exclude, imageWritePaths, exemptImages, peerAnnotations, podSecurity, compose, helm.'],
        kept: { rules: {} },
      },
      {
        name: 'a chart\'s value sets, named or not; a set whose name is not a string is left out, on its value',
        text: 'helm:\n  charts:\n    deploy/chart:\n      - name: prod\n        values: [values-prod.yaml]\n        namespace: prod\n      - {}\n    other:\n      name: [x]\n',
        expected: ['helm.charts.other.name 9:13-9:16 name must be a non-empty string.'],
        kept: { helm: { charts: { 'deploy/chart': [{ name: 'prod', values: ['values-prod.yaml'], namespace: 'prod' }, {}] } } },
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
        name: 'a Compose project whose files leave its folder, or are none; the other projects still apply',
        text: 'compose:\n  projects:\n    deploy/:\n      files: [compose.yaml, ../compose.prod.yaml]\n    empty: {files: []}\n    ./: {files: [compose.yaml, compose.ci.yaml]}\n',
        expected: [
          'compose.projects.deploy/.files 4:29-4:49 "../compose.prod.yaml" must be a path inside the project\'s folder.',
          'compose.projects.empty.files 5:20-5:22 files must name at least one Compose file.',
        ],
        kept: { compose: { projects: { './': ['compose.yaml', 'compose.ci.yaml'] } } },
      },
      {
        name: 'a Compose project without files, and a key other than projects',
        text: 'compose:\n  projects:\n    deploy: [compose.yaml]\n  chains: {}\n',
        expected: [
          'compose.projects.deploy.files 3:13-3:27 The project "deploy" must be a mapping with the one key files: its Compose files, base first.',
          'compose.chains 4:3-4:9 Unknown key "chains": compose must be a mapping with the key projects: a mapping of folder to {files: [the Compose files, base first]}.',
        ],
        kept: { compose: { projects: {} } },
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
        expected: [' 1:1-2:1 The configuration must be a mapping of keys such as rules, exclude, imageWritePaths, exemptImages, peerAnnotations, podSecurity, helm.'],
        kept: {},
      },
      {
        name: 'an alias for a list, on the alias',
        text: 'exemptImages: &images [a, b]\nexclude: *images\n',
        expected: ['exclude 2:10-2:17 exclude must be a list of glob patterns, written out: aliases are not read.'],
        kept: { exemptImages: ['a', 'b'] },
      },
      {
        name: 'too many exclude patterns',
        text: `exclude: [${Array.from({ length: 101 }, (_, i) => `p${i}`).join(', ')}]\n`,
        expected: ['exclude 1:10-1:506 exclude has 101 patterns; it may have at most 100.'],
        kept: {},
      },
      {
        name: 'an exclude pattern too long, on the pattern',
        text: `exclude: [ok/**, "${'*a'.repeat(600)}"]\n`,
        expected: ['exclude 1:18-1:1220 An exclude pattern may be at most 1000 characters long; this one has 1200.'],
        kept: {},
      },
      {
        name: 'a pattern whose braces stand for too many, on the pattern',
        text: 'exclude: [vendor/**, "{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}.yaml"]\n',
        expected: ['exclude 1:22-1:64 The braces of "{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}.yaml" stand for more than 100 patterns.'],
        kept: {},
      },
      {
        name: 'two documents, on the second',
        text: 'rules: {}\n---\nexclude: [a]\n',
        expected: [' 2:1-2:1 The configuration must be one YAML document.'],
        kept: {},
      },
      {
        name: 'a nesting too deep, where it passes the bound',
        text: `rules: ${'['.repeat(10_000)}\n`,
        expected: [' 1:518-1:519 The configuration nests more than 256 levels deep, so it was not read.'],
        kept: {},
      },
      {
        name: 'a file over the size bound, without parsing it',
        text: `# ${'x'.repeat(64 << 10)}\n`,
        expected: [' 1:1-1:1 The configuration is 65539 characters long; it may be at most 65536.'],
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
        composeProjects: {},
        helmCharts: {},
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
      ['./vendor/', 'vendor/a.yaml', true],
      ['vendor/', 'deep/vendor/a.yaml', true],
      ['k8s/prod', 'k8s/prod/eu/a.yaml', true],
      ['k8s/prod', 'k8s/production/a.yaml', false],
      ['*.yaml', '.hidden/.secret.yaml', true],
      ['!keep.yaml', 'keep.yaml', false],
      ['#notes.yaml', '#notes.yaml', true],
      ['+(a|b).yaml', '+(a|b).yaml', true],
      ['+(a|b).yaml', 'a.yaml', false],
      ['{a,b}{c,d}.yaml', 'k8s/bd.yaml', true],
    ];
    for (const [glob, path, expected] of cases) {
      it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(matchesAnyGlob(path, [glob]), expected));
    }

    // A repository may hold any pattern: each of these took a RegExp translation of globs more than 20 s.
    const deep = `${Array.from({ length: 25 }, (_, i) => `d${i}`).join('/')}/pod.yaml`;
    const hostile: [string, string, boolean][] = [
      [`${'**/'.repeat(14)}zz`, deep, false],
      [`${'**/'.repeat(14)}zz`, deep.replace('pod.yaml', 'zz'), true],
      [`${'*a'.repeat(30)}*zz`, `${'a'.repeat(200)}.yaml`, false],
      [`k8s/${'*a'.repeat(30)}*zz`, `k8s/${'a'.repeat(200)}.yaml`, false],
    ];
    for (const [glob, path, expected] of hostile) {
      it(`answers ${glob.slice(0, 24)}... on ${path.slice(0, 24)}... (${path.length} characters) at once`, function () {
        this.timeout(500);
        assert.equal(matchesAnyGlob(path, [glob]), expected);
      });
    }
  });

  describe('contributions stay in step with the rules', () => {
    it('the JSON schema lists every configurable rule with its default, and every key of the model', () => {
      const schema = readJson('schemas/kube-immutable.schema.json');
      const rules = schema.properties.rules.properties;
      assert.deepEqual(Object.keys(rules).sort(), configurableRuleIds().sort());
      for (const rule of RULES) assert.equal(rules[rule.meta.id].default, rule.meta.defaultSeverity, rule.meta.id);
      assert.deepEqual(Object.keys(schema.properties).sort(), ['compose', 'exclude', 'exemptImages', 'helm', 'imageWritePaths', 'peerAnnotations', 'podSecurity', 'rules']);
      assert.equal(schema.additionalProperties, false);
      assert.equal(schema.properties.exclude.maxItems, CONFIG_LIMITS.maxGlobs);
      assert.equal(schema.properties.exclude.items.maxLength, CONFIG_LIMITS.maxGlobLength);
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

    it('package.json keeps the settings that decide what is read from an untrusted workspace', () => {
      const { capabilities, contributes } = readJson('package.json');
      const trust = capabilities.untrustedWorkspaces;
      assert.equal(trust.supported, 'limited');
      assert.deepEqual(trust.restrictedConfigurations, ['kubeImmutable.exclude', 'kubeImmutable.workspace.scan']);
      for (const key of trust.restrictedConfigurations) {
        assert.equal(contributes.configuration.properties[key]?.scope, 'resource', key);
        assert.ok(trust.description.includes(key), key);
      }
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
