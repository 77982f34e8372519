import * as assert from 'node:assert/strict';
import { parseImageReference } from '../../server/src/engine/imageReference';
import { IMAGE_WRITE_PATHS, writePathsForImage } from '../../server/src/engine/knowledge/imageWritePaths';

const SHA256 = '0123456789abcdef'.repeat(4);

function pathsOf(image: string, extra?: Record<string, string[]>): string[] | undefined {
  return writePathsForImage(image, extra)?.map(p => p.path);
}

describe('writePathsForImage', () => {
  const nginx = ['/var/cache/nginx', '/var/run'];
  const matching: [string, string[]][] = [
    ['nginx', nginx],
    ['nginx:1.27', nginx],
    ['library/nginx:alpine', nginx],
    ['docker.io/nginx', nginx],
    [`docker.io/library/nginx:1.27@sha256:${SHA256}`, nginx],
    ['index.docker.io/library/nginx:stable', nginx],
    ['public.ecr.aws/docker/library/nginx:1.27-alpine', nginx],
    ['mirror.gcr.io/library/nginx', nginx],
    ['nginxinc/nginx-unprivileged:1.27-alpine', ['/tmp']],
    ['ghcr.io/nginxinc/nginx-unprivileged:stable', ['/tmp']],
    ['public.ecr.aws/nginx/nginx-unprivileged', ['/tmp']],
    ['httpd:2.4', ['/usr/local/apache2/logs']],
    ['postgres:16', ['/var/lib/postgresql/data', '/var/run/postgresql']],
    ['mysql:8.4', ['/var/lib/mysql', '/var/run/mysqld']],
    ['mariadb:11', ['/var/lib/mysql', '/run/mysqld']],
    ['redis:7', ['/data']],
    ['mongo:7.0', ['/data/db', '/tmp']],
    ['rabbitmq:3-management', ['/var/lib/rabbitmq']],
    ['grafana/grafana:11.0.0', ['/var/lib/grafana']],
    ['grafana/grafana-enterprise', ['/var/lib/grafana']],
    ['prom/prometheus:v2.53.0', ['/prometheus']],
    ['quay.io/prometheus/prometheus:v2.53.0', ['/prometheus']],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.14.1', ['/usr/share/elasticsearch/config', '/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs']],
    ['elasticsearch:8.14.1', ['/usr/share/elasticsearch/config', '/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs']],
    ['tomcat:10.1', ['/usr/local/tomcat/logs', '/usr/local/tomcat/temp', '/usr/local/tomcat/work']],
    ['wordpress:6', ['/var/www/html']],
    ['jenkins/jenkins:lts', ['/var/jenkins_home']],
    ['caddy:2', ['/config', '/data']],
    ['sonarqube:community', ['/opt/sonarqube/data', '/opt/sonarqube/extensions', '/opt/sonarqube/logs', '/opt/sonarqube/temp']],
    ['nextcloud:29-apache', ['/var/www/html']],
    ['registry:2', ['/var/lib/registry']],
  ];
  for (const [image, paths] of matching) {
    it(`knows ${image}`, () => {
      assert.deepEqual(pathsOf(image), paths);
    });
  }

  const unknown: [string, string][] = [
    ['quay.io/someone/nginx', 'an nginx on another registry'],
    ['someone/nginx', 'an nginx in another Docker Hub namespace'],
    ['ghcr.io/nginx', 'an nginx without the library namespace on another registry'],
    ['registry.example.com/library/nginx', 'a library/nginx on a private registry'],
    ['nginxinc/nginx-unprivileged-extra', 'a longer repository name'],
    ['bitnami/postgresql', 'a vendor build of a known server'],
    ['docker.io/elasticsearch/elasticsearch', 'the Elastic path on the wrong registry'],
    ['busybox', 'an image the knowledge base does not hold'],
    ['Nginx', 'a malformed reference'],
    ['', 'an empty reference'],
    ['{{ .Values.image }}', 'a template placeholder'],
  ];
  for (const [image, why] of unknown) {
    it(`knows nothing of ${why}`, () => {
      assert.equal(writePathsForImage(image), undefined);
    });
  }

  it('gives the reason for each path', () => {
    assert.deepEqual(writePathsForImage('nginx'), [
      { path: '/var/cache/nginx', reason: 'nginx creates its client-body and proxy temp directories here at start-up' },
      { path: '/var/run', reason: 'nginx writes its pid file, /var/run/nginx.pid, at start-up' },
    ]);
  });
});

describe('writePathsForImage with configured images', () => {
  const reason = 'listed for this image under `imageWritePaths` in the kube-immutable configuration';
  const extra = {
    'registry.internal/team/app': ['/var/cache/app', '/tmp'],
    myapp: ['/data'],
    'nginx:1.27': ['/srv/cache'],
    'Not A Name': ['/ignored'],
  };

  it('matches a configured repository whatever its tag or digest', () => {
    assert.deepEqual(writePathsForImage(`registry.internal/team/app:2.0@sha256:${SHA256}`, extra), [
      { path: '/var/cache/app', reason },
      { path: '/tmp', reason },
    ]);
  });
  it('matches a familiar name on docker.io', () => {
    assert.deepEqual(pathsOf('docker.io/library/myapp:1.0', extra), ['/data']);
  });
  it('lets the configuration replace a built-in image, whatever tag the key carries', () => {
    assert.deepEqual(pathsOf('nginx:alpine', extra), ['/srv/cache']);
  });
  it('keeps the registry in the match', () => {
    assert.equal(writePathsForImage('registry.other/team/app', extra), undefined);
    assert.equal(writePathsForImage('team/app', extra), undefined);
  });
  it('falls back to the built-in entries for other images', () => {
    assert.deepEqual(pathsOf('redis', extra), ['/data']);
    assert.equal(writePathsForImage('busybox', extra), undefined);
  });
});

describe('IMAGE_WRITE_PATHS', () => {
  it('holds the 19 documented images', () => {
    assert.equal(IMAGE_WRITE_PATHS.length, 19);
  });
  for (const entry of IMAGE_WRITE_PATHS) {
    const label = entry.repositories[0];
    it(`${label}: cites an https source`, () => {
      assert.match(entry.source, /^https:\/\/[a-z0-9.-]+\.[a-z]+\/\S*$/);
    });
    it(`${label}: lists absolute, distinct paths, each with a reason`, () => {
      assert.ok(entry.paths.length > 0);
      for (const { path, reason } of entry.paths) {
        assert.match(path, /^\/[^\s]*[^/\s]$/);
        assert.ok(reason.length > 10, `${path} has no reason`);
      }
      assert.equal(new Set(entry.paths.map(p => p.path)).size, entry.paths.length);
    });
    it(`${label}: names its repositories canonically`, () => {
      for (const name of entry.repositories) {
        const ref = parseImageReference(name);
        assert.ok(ref, `${name} does not parse`);
        assert.equal(`${ref.domain}/${ref.repository}`, name);
        assert.equal(ref.tag, undefined);
        assert.equal(ref.digest, undefined);
      }
    });
  }
  it('names each repository in one entry only', () => {
    const names = IMAGE_WRITE_PATHS.flatMap(entry => entry.repositories);
    assert.equal(new Set(names).size, names.length);
  });
});
