// Compose projects across files: override files over their base, `extends` of another file, `include`; each
// finding in the file that holds what it points at, each fix editing the files that hold its keys.
import * as assert from 'node:assert/strict';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';
import { analyzeComposeProject } from '../../../server/src/sources/compose/findings';
import { loadComposeProject } from '../../../server/src/sources/compose/project';
import { formatRange, yaml } from '../../helpers';
import { memoryTree } from '../kustomize/memoryTree';

type Files = Record<string, string>;

function analyse(files: Files, chain: string[]) {
  return analyzeComposeProject(loadComposeProject(chain, memoryTree(files)), { allRules: true });
}

/** `file line:col-line:col rule service`, in file order; the hint for a tag without a digest left out unless `rules` names it. */
function summary(files: Files, chain: string[], rules?: string[]): string[] {
  const { findings, errors } = analyse(files, chain);
  assert.deepEqual(errors, []);
  return findings.filter(f => (rules ? rules.includes(f.rule) : f.rule !== 'mutable-image-reference')).map(f => `${f.file} ${formatRange(f.range)} ${f.rule}${f.container ? ` ${f.container}` : ''}`);
}

/** The files after the fix titled `title` of a finding of `rule`: only those it edits. */
function fixed(files: Files, chain: string[], rule: string, title: RegExp): Files {
  const findings = analyse(files, chain).findings.filter(f => f.rule === rule);
  const fix = findings.flatMap(f => f.fixes ?? []).find(f => title.test(f.title));
  assert.ok(fix, `a fix titled ${title} among ${findings.flatMap(f => f.fixes ?? []).map(f => f.title).join('; ')}`);
  return Object.fromEntries(fix.changes.map(change => [change.file, applyTextEdits(files[change.file], change.edits)]));
}

const NGINX_BASE = yaml`
  services:
    web:
      image: nginx:1.27.3
      ports: ["8080:80"]
`;

describe('Compose projects', () => {
  describe('an override file over its base', () => {
    it('a service the override only adds to is not partial: its missing keys are reported on the base file\'s service', () => {
      const files = {
        '/app/compose.yaml': NGINX_BASE,
        '/app/compose.override.yaml': yaml`
          services:
            web:
              environment:
                DEBUG: "1"
        `,
      };
      assert.deepEqual(summary(files, ['/app/compose.yaml', '/app/compose.override.yaml']), [
        '/app/compose.yaml 2:3-2:6 readonly-root-filesystem web',
        '/app/compose.yaml 2:3-2:6 run-as-root web',
        '/app/compose.yaml 2:3-2:6 privilege-escalation web',
        '/app/compose.yaml 2:3-2:6 capabilities web',
      ]);
    });

    it('a value the override sets is reported on its line; a key the base sets and the override resets is missing again, on the !reset', () => {
      const files = {
        '/app/compose.yaml': yaml`
          services:
            web:
              image: nginx:1.27.3
              read_only: true
              tmpfs: [/var/cache/nginx, /var/run]
              user: "101"
              security_opt: [no-new-privileges:true]
              cap_drop: [ALL]
        `,
        '/app/compose.override.yaml': yaml`
          services:
            web:
              read_only: false
              security_opt: !reset []
              cap_add: [SYS_ADMIN]
        `,
      };
      assert.deepEqual(summary(files, ['/app/compose.yaml', '/app/compose.override.yaml']), [
        '/app/compose.override.yaml 3:16-3:21 readonly-root-filesystem web',
        '/app/compose.override.yaml 4:5-4:17 privilege-escalation web',
        '/app/compose.override.yaml 5:15-5:24 capabilities web',
      ]);
    });

    it('!override replaces a list of the base: the base\'s cap_drop no longer counts', () => {
      const files = {
        '/app/compose.yaml': yaml`
          services:
            api:
              image: registry.example.com/api:2.1.0
              read_only: true
              user: "1000"
              security_opt: [no-new-privileges:true]
              cap_drop: [ALL]
        `,
        '/app/compose.prod.yaml': yaml`
          services:
            api:
              cap_drop: !override [NET_RAW]
        `,
      };
      assert.deepEqual(summary(files, ['/app/compose.yaml', '/app/compose.prod.yaml']), [
        '/app/compose.prod.yaml 3:5-3:13 capabilities api',
      ]);
    });

    it('a service only the override defines is read from the override alone', () => {
      const files = {
        '/app/compose.yaml': NGINX_BASE,
        '/app/compose.override.yaml': yaml`
          services:
            adminer:
              image: adminer:4.8.1
              read_only: true
              user: "1000"
              security_opt: [no-new-privileges:true]
              cap_drop: [ALL]
              privileged: true
        `,
      };
      assert.deepEqual(summary(files, ['/app/compose.yaml', '/app/compose.override.yaml'], ['privileged-container', 'readonly-root-filesystem']), [
        '/app/compose.override.yaml 8:17-8:21 privileged-container adminer',
        '/app/compose.yaml 2:3-2:6 readonly-root-filesystem web',
      ]);
    });
  });

  describe('extends of another file', () => {
    it('the base service of common.yaml completes the service; its values are reported in common.yaml', () => {
      const files = {
        '/app/common.yaml': yaml`
          services:
            hardened:
              read_only: true
              user: "1000"
              security_opt: [no-new-privileges:true]
              cap_drop: [ALL]
              cap_add: [NET_ADMIN]
        `,
        '/app/compose.yaml': yaml`
          services:
            worker:
              extends:
                file: common.yaml
                service: hardened
              image: registry.example.com/worker:3.0.1
        `,
      };
      assert.deepEqual(summary(files, ['/app/compose.yaml']), [
        '/app/common.yaml 7:15-7:24 capabilities worker',
      ]);
    });

    it('a service of common.yaml that extends another of common.yaml, found in its own file', () => {
      const files = {
        '/app/lib/common.yaml': yaml`
          services:
            base: {read_only: true, user: "1000"}
            hardened: {extends: base, security_opt: [no-new-privileges:true], cap_drop: [ALL]}
        `,
        '/app/compose.yaml': yaml`
          services:
            worker:
              extends: {file: lib/common.yaml, service: hardened}
              image: registry.example.com/worker:3.0.1
        `,
      };
      assert.deepEqual(summary(files, ['/app/compose.yaml']), []);
    });
  });

  describe('include', () => {
    it('short and long syntax, a path list merged as a chain; the included services are reported in their files', () => {
      const files = {
        '/app/compose.yaml': yaml`
          include:
            - db/compose.yaml
            - path: [cache/compose.yaml, cache/compose.local.yaml]
              project_directory: cache
              env_file: cache/.env
          services:
            web:
              image: registry.example.com/web:1.0.0
              read_only: true
              user: "1000"
              security_opt: [no-new-privileges:true]
              cap_drop: [ALL]
        `,
        '/app/db/compose.yaml': yaml`
          services:
            db:
              image: postgres:16.4
              volumes: ["./data:/var/lib/postgresql/data"]
        `,
        '/app/cache/compose.yaml': yaml`
          services:
            cache:
              image: redis:7.4.1
        `,
        '/app/cache/compose.local.yaml': yaml`
          services:
            cache:
              privileged: true
        `,
      };
      assert.deepEqual(summary(files, ['/app/compose.yaml'], ['readonly-root-filesystem', 'writable-host-path', 'privileged-container']), [
        '/app/cache/compose.local.yaml 3:17-3:21 privileged-container cache',
        '/app/cache/compose.yaml 2:3-2:8 readonly-root-filesystem cache',
        '/app/db/compose.yaml 2:3-2:5 readonly-root-filesystem db',
        '/app/db/compose.yaml 4:15-4:48 writable-host-path db',
      ]);
    });
  });

  describe('each rule across files', () => {
    const CHAIN = ['/app/compose.yaml', '/app/compose.override.yaml'];
    const cases: { rule: string; base: string; override: string; common?: string; expected: string[] }[] = [
      {
        rule: 'writable-paths-unmounted',
        base: 'services:\n  web:\n    image: nginx:1.27.3\n',
        override: 'services:\n  web:\n    read_only: true\n',
        expected: ['/app/compose.yaml 3:12-3:24 writable-paths-unmounted web'],
      },
      {
        rule: 'chmod-immutability-hack',
        base: 'services:\n  web:\n    image: nginx:1.27.3\n',
        override: 'services:\n  web:\n    command: sh -c "chmod -R a-w /usr/share/nginx && exec nginx -g \'daemon off;\'"\n',
        expected: ['/app/compose.override.yaml 3:14-3:82 chmod-immutability-hack web'],
      },
      {
        rule: 'run-as-root',
        base: 'services:\n  web:\n    extends: {file: common.yaml, service: base}\n    image: registry.example.com/web:1.0.0\n',
        override: 'services:\n  web:\n    ports: ["80:8080"]\n',
        common: 'services:\n  base:\n    user: "0:0"\n',
        expected: ['/app/common.yaml 3:11-3:16 run-as-root web'],
      },
      {
        rule: 'writable-host-path',
        base: 'services:\n  agent:\n    image: registry.example.com/agent:2.0.0\n    volumes: [./conf:/etc/agent:ro]\n',
        override: 'services:\n  agent:\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
        expected: ['/app/compose.override.yaml 4:9-4:53 writable-host-path agent'],
      },
      {
        rule: 'mutable-image-reference',
        base: `services:\n  web:\n    image: nginx@sha256:${'0123456789abcdef'.repeat(4)}\n`,
        override: 'services:\n  web:\n    image: nginx:latest\n',
        expected: ['/app/compose.override.yaml 3:17-3:24 mutable-image-reference web'],
      },
      {
        rule: 'privileged-container',
        base: 'services:\n  web:\n    image: registry.example.com/web:1.0.0\n    privileged: true\n',
        override: 'services:\n  web:\n    privileged: false\n',
        expected: [],
      },
    ];
    for (const { rule, base, override, common, expected } of cases) {
      it(`${rule}: ${expected.length ? expected.map(e => e.split(' ')[0].replace('/app/', '')).join(', ') : 'none, the override decides'}`, () => {
        const files: Files = { '/app/compose.yaml': base, '/app/compose.override.yaml': override, ...(common ? { '/app/common.yaml': common } : {}) };
        assert.deepEqual(summary(files, CHAIN, [rule]), expected);
      });
    }

    it('writable-paths-unmounted: the tmpfs goes to the base file, the read_only it depends on is related', () => {
      const files = { '/app/compose.yaml': 'services:\n  web:\n    image: nginx:1.27.3\n', '/app/compose.override.yaml': 'services:\n  web:\n    read_only: true\n' };
      const [finding] = analyse(files, CHAIN).findings.filter(f => f.rule === 'writable-paths-unmounted');
      assert.deepEqual(finding.locations.map(l => `${l.file} ${formatRange(l.range)} ${l.message}`), ['/app/compose.override.yaml 3:16-3:20 The root filesystem is made read-only here.']);
      assert.deepEqual(fixed(files, CHAIN, 'writable-paths-unmounted', /^Mount tmpfs/), {
        '/app/compose.yaml': 'services:\n  web:\n    image: nginx:1.27.3\n    tmpfs: [/var/cache/nginx, /var/run]\n',
      });
    });

    it('chmod-immutability-hack: the chmod goes from the override\'s command, read_only and tmpfs come into the base', () => {
      const files = {
        '/app/compose.yaml': 'services:\n  web:\n    image: nginx:1.27.3\n',
        '/app/compose.override.yaml': 'services:\n  web:\n    command: ["sh", "-c", "chmod -R a-w /usr/share/nginx && exec nginx -g \'daemon off;\'"]\n',
      };
      assert.deepEqual(fixed(files, CHAIN, 'chmod-immutability-hack', /^Remove the chmod/), {
        '/app/compose.override.yaml': 'services:\n  web:\n    command: ["sh", "-c", "exec nginx -g \'daemon off;\'"]\n',
        '/app/compose.yaml': 'services:\n  web:\n    image: nginx:1.27.3\n    read_only: true\n    tmpfs: [/var/cache/nginx, /var/run]\n',
      });
    });

    it('chmod-immutability-hack: a chmod inside a quoted sh -c script of a string command gets no fix, rather than one that breaks the quotes', () => {
      const files = {
        '/app/compose.yaml': 'services:\n  web:\n    image: nginx:1.27.3\n',
        '/app/compose.override.yaml': 'services:\n  web:\n    command: sh -c "chmod -R a-w /usr/share/nginx && exec nginx -g \'daemon off;\'"\n',
      };
      const [finding] = analyse(files, CHAIN).findings.filter(f => f.rule === 'chmod-immutability-hack');
      assert.equal(finding.fixes, undefined);
    });
  });

  describe('problems of the project: an error where it sits, and the rest still checked', () => {
    const HARDENED = 'read_only: true, user: "1000", security_opt: [no-new-privileges:true], cap_drop: [ALL]';
    const problems = (files: Files, chain: string[]) => analyse(files, chain).findings
      .filter(f => f.rule === 'compose-project').map(f => `${f.file} ${formatRange(f.range)} ${f.message}`);

    it('an extends file that is not there: the service is partial, only its own values are checked', () => {
      const files = { '/app/compose.yaml': `services:\n  web:\n    extends: {file: gone.yaml, service: base}\n    image: nginx:1.27.3\n` };
      assert.deepEqual(problems(files, ['/app/compose.yaml']), [
        '/app/compose.yaml 3:21-3:30 extends names gone.yaml, which cannot be read: it is not there. The service is checked only for the values it has.',
      ]);
      assert.deepEqual(summary(files, ['/app/compose.yaml']).filter(line => !line.includes('compose-project')), []);
    });

    it('an extends service the other file does not define', () => {
      const files = {
        '/app/common.yaml': `services:\n  other: {image: "nginx:1.27.3"}\n`,
        '/app/compose.yaml': `services:\n  web:\n    extends: {file: common.yaml, service: base}\n    image: nginx:1.27.3\n`,
      };
      assert.deepEqual(problems(files, ['/app/compose.yaml']), [
        '/app/compose.yaml 3:21-3:32 extends names the service "base" of common.yaml, which that file does not define.',
      ]);
    });

    it('an extends cycle across two files ends, reported once where it closes', () => {
      const files = {
        '/app/a.yaml': `services:\n  a: {extends: {file: b.yaml, service: b}, image: "registry.example.com/a:1.0.0", ${HARDENED}}\n`,
        '/app/b.yaml': `services:\n  b: {extends: {file: a.yaml, service: a}}\n`,
      };
      assert.deepEqual(problems(files, ['/app/a.yaml']), [
        '/app/b.yaml 2:7-2:14 extends makes a cycle (a -> b -> a): docker compose refuses it, so the chain is read up to here.',
      ]);
    });

    it('an include cycle: reported on the include that closes it, each file read once', () => {
      const files = {
        '/app/compose.yaml': `include: [other.yaml]\nservices:\n  web: {image: "registry.example.com/web:1.0.0", ${HARDENED}}\n`,
        '/app/other.yaml': `include: [compose.yaml]\nservices:\n  worker: {image: "registry.example.com/worker:1.0.0", ${HARDENED}}\n`,
      };
      assert.deepEqual(problems(files, ['/app/compose.yaml']), [
        '/app/other.yaml 1:11-1:23 include makes a cycle (compose.yaml -> other.yaml -> compose.yaml): docker compose refuses it, so compose.yaml is not included again.',
      ]);
      assert.deepEqual(summary(files, ['/app/compose.yaml'], ['readonly-root-filesystem']), []);
    });

    it('an include that is not there, and one that is not Compose (a Kubernetes manifest), and one that is not YAML', () => {
      const files = {
        '/app/compose.yaml': `include:\n  - gone.yaml\n  - k8s.yaml\n  - broken.yaml\nservices:\n  web: {image: "registry.example.com/web:1.0.0", ${HARDENED}}\n`,
        '/app/k8s.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
        '/app/broken.yaml': 'services: {web: [\n',
      };
      assert.deepEqual(problems(files, ['/app/compose.yaml']), [
        '/app/broken.yaml 2:1-2:1 broken.yaml is not read as a part of the Compose project: it is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ].',
        '/app/compose.yaml 2:5-2:14 include names gone.yaml, which cannot be read: it is not there.',
        '/app/k8s.yaml 1:1-1:1 k8s.yaml is not read as a part of the Compose project: it is not a Compose file (a top-level map whose services: maps names to services, without apiVersion or kind).',
      ]);
    });
  });

  describe('fixes edit the file that holds the key', () => {
    it('read_only: false in the override: set to true there; the tmpfs nobody sets goes to the base file', () => {
      const files = {
        '/app/compose.yaml': NGINX_BASE,
        '/app/compose.override.yaml': `services:\n  web:\n    read_only: false # for development\n`,
      };
      assert.deepEqual(fixed(files, ['/app/compose.yaml', '/app/compose.override.yaml'], 'readonly-root-filesystem', /^Set read_only: true and mount tmpfs/), {
        '/app/compose.override.yaml': `services:\n  web:\n    read_only: true # for development\n`,
        '/app/compose.yaml': `${NGINX_BASE}    tmpfs: [/var/cache/nginx, /var/run]\n`,
      });
    });

    it('a missing key goes to the base file\'s service even when an override file adds to it', () => {
      const files = {
        '/app/compose.yaml': NGINX_BASE,
        '/app/compose.override.yaml': `services:\n  web:\n    environment: {DEBUG: "1"}\n`,
      };
      assert.deepEqual(fixed(files, ['/app/compose.yaml', '/app/compose.override.yaml'], 'privilege-escalation', /^Add no-new-privileges/), {
        '/app/compose.yaml': yaml`
          services:
            web:
              image: nginx:1.27.3
              ports: ["8080:80"]
              security_opt: [no-new-privileges:true]
        `,
      });
    });

    it('harden across files: read_only where the override sets it false, the keys nobody sets in the base', () => {
      const files = {
        '/app/compose.yaml': NGINX_BASE,
        '/app/compose.override.yaml': `services:\n  web:\n    read_only: false\n`,
      };
      assert.deepEqual(fixed(files, ['/app/compose.yaml', '/app/compose.override.yaml'], 'readonly-root-filesystem', /^Harden/), {
        '/app/compose.yaml': yaml`
          services:
            web:
              image: nginx:1.27.3
              ports: ["8080:80"]
              tmpfs: [/var/cache/nginx, /var/run]
              security_opt: [no-new-privileges:true]
              cap_drop: [ALL]
        `,
        '/app/compose.override.yaml': `services:\n  web:\n    read_only: true\n`,
      });
    });

    it('a key the override resets is set again in place of its !reset, tag and all', () => {
      const files = {
        '/app/compose.yaml': `services:\n  web:\n    image: registry.example.com/web:1.0.0\n    security_opt: [no-new-privileges:true]\n`,
        '/app/compose.override.yaml': `services:\n  web:\n    security_opt: !reset []\n    user: !reset null\n`,
      };
      assert.deepEqual(fixed(files, ['/app/compose.yaml', '/app/compose.override.yaml'], 'privilege-escalation', /^Add no-new-privileges/), {
        '/app/compose.override.yaml': `services:\n  web:\n    security_opt: [no-new-privileges:true]\n    user: !reset null\n`,
      });
    });

    it('a cap_add of the extends base is removed in common.yaml', () => {
      const files = {
        '/app/common.yaml': `services:\n  base:\n    cap_add: [NET_ADMIN, NET_BIND_SERVICE]\n`,
        '/app/compose.yaml': `services:\n  web:\n    extends: {file: common.yaml, service: base}\n    image: nginx:1.27.3\n`,
      };
      assert.deepEqual(fixed(files, ['/app/compose.yaml'], 'capabilities', /^Remove NET_ADMIN/), {
        '/app/common.yaml': `services:\n  base:\n    cap_add: [NET_BIND_SERVICE]\n`,
      });
    });
  });
});
