// A realistic set of Compose files (web apps, databases, proxies, monitoring) with every finding each one gets
// under the default configuration: `line:col-line:col severity rule service`.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../../server/src/engine';
import { formatRange } from '../../helpers';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'compose');

const EXPECTED: Record<string, string[]> = {
  'caddy-app.compose.yaml': [
    '2:3-2:8 warning run-as-root caddy',
    '3:17-3:21 hint mutable-image-reference caddy',
  ],
  'chmod-hack.compose.yaml': [
    '3:3-3:6 warning readonly-root-filesystem web',
    '4:17-4:22 hint mutable-image-reference web',
    '5:27-5:100 warning chmod-immutability-hack web',
  ],
  'django-celery.compose.yaml': [
    '24:17-24:21 hint mutable-image-reference redis',
  ],
  'elastic-kibana.compose.yaml': [
    '2:3-2:16 warning readonly-root-filesystem elasticsearch',
    '2:3-2:16 warning run-as-root elasticsearch',
    '2:3-2:16 warning privilege-escalation elasticsearch',
    '2:3-2:16 warning capabilities elasticsearch',
    '3:57-3:64 hint mutable-image-reference elasticsearch',
    '10:15-10:23 warning capabilities elasticsearch',
    '11:3-11:9 warning readonly-root-filesystem kibana',
    '11:3-11:9 warning run-as-root kibana',
    '11:3-11:9 warning privilege-escalation kibana',
    '11:3-11:9 warning capabilities kibana',
    '12:43-12:50 hint mutable-image-reference kibana',
  ],
  'extends-base.compose.yaml': [
    '3:39-3:45 hint mutable-image-reference base',
    '3:39-3:45 hint mutable-image-reference emails',
    '3:39-3:45 hint mutable-image-reference reports',
    '16:9-16:23 warning writable-host-path reports',
  ],
  'gitlab-runner.compose.yaml': [
    '2:3-2:9 warning readonly-root-filesystem runner',
    '2:3-2:9 warning run-as-root runner',
    '2:3-2:9 warning privilege-escalation runner',
    '2:3-2:9 warning capabilities runner',
    '3:32-3:40 hint mutable-image-reference runner',
    '5:17-5:21 error privileged-container runner',
    '7:9-7:36 warning writable-host-path runner',
    '8:9-8:50 error writable-host-path runner',
  ],
  'httpd-php.compose.yaml': [
    '2:3-2:8 warning run-as-root httpd',
    '2:3-2:8 warning capabilities httpd',
    '3:12-3:21 warning writable-paths-unmounted httpd',
    '3:17-3:21 hint mutable-image-reference httpd',
    '8:3-8:6 warning readonly-root-filesystem php',
    '8:3-8:6 warning privilege-escalation php',
    '8:3-8:6 warning capabilities php',
    '9:15-9:23 hint mutable-image-reference php',
    '11:9-11:31 warning writable-host-path php',
  ],
  'keycloak.compose.yaml': [
    '2:3-2:11 warning run-as-root keycloak',
    '2:3-2:11 warning capabilities keycloak',
    '3:37-3:42 hint mutable-image-reference keycloak',
    '8:16-8:21 warning readonly-root-filesystem keycloak',
    '10:9-10:34 warning privilege-escalation keycloak',
  ],
  'minio.compose.yaml': [
    '3:31-3:60 hint mutable-image-reference minio',
    '8:17-8:27 warning writable-host-path minio',
  ],
  'monitoring.compose.yaml': [
    '4:27-4:35 hint mutable-image-reference prometheus',
    '11:3-11:10 warning readonly-root-filesystem grafana',
    '12:27-12:34 hint mutable-image-reference grafana',
    '18:30-18:37 hint mutable-image-reference node-exporter',
  ],
  'nginx-static.compose.yaml': [
    '3:3-3:7 warning run-as-root site',
    '4:17-4:31 hint mutable-image-reference site',
    '11:15-11:20 warning capabilities site',
    '11:22-11:28 warning capabilities site',
    '11:30-11:36 warning capabilities site',
  ],
  'node-mongo.compose.yaml': [
    '2:3-2:6 warning readonly-root-filesystem api',
    '2:3-2:6 warning run-as-root api',
    '2:3-2:6 warning privilege-escalation api',
    '2:3-2:6 warning capabilities api',
    '7:9-7:27 warning writable-host-path api',
    '10:3-10:8 warning readonly-root-filesystem mongo',
    '10:3-10:8 warning run-as-root mongo',
    '10:3-10:8 warning privilege-escalation mongo',
    '10:3-10:8 warning capabilities mongo',
    '11:12-11:17 warning mutable-image-reference mongo',
  ],
  'postgres-pgadmin.compose.yaml': [
    '3:20-3:25 hint mutable-image-reference postgres',
    '12:15-12:20 warning capabilities postgres',
    '12:22-12:34 warning capabilities postgres',
    '12:36-12:42 warning capabilities postgres',
    '12:44-12:50 warning capabilities postgres',
    '12:52-12:58 warning capabilities postgres',
    '14:3-14:10 warning readonly-root-filesystem pgadmin',
    '14:3-14:10 warning run-as-root pgadmin',
    '14:3-14:10 warning privilege-escalation pgadmin',
    '14:3-14:10 warning capabilities pgadmin',
    '15:12-15:26 warning mutable-image-reference pgadmin',
  ],
  'profiles-dev-tools.compose.yaml': [
    '3:36-3:42 hint mutable-image-reference app',
    '8:3-8:10 warning readonly-root-filesystem adminer',
    '8:3-8:10 warning run-as-root adminer',
    '8:3-8:10 warning privilege-escalation adminer',
    '8:3-8:10 warning capabilities adminer',
    '9:19-9:25 hint mutable-image-reference adminer',
    '12:3-12:10 warning readonly-root-filesystem mailpit',
    '12:3-12:10 warning run-as-root mailpit',
    '12:3-12:10 warning privilege-escalation mailpit',
    '12:3-12:10 warning capabilities mailpit',
    '13:27-13:34 warning mutable-image-reference mailpit',
  ],
  'rails.compose.yaml': [
    '2:3-2:5 warning readonly-root-filesystem db',
    '2:3-2:5 warning run-as-root db',
    '2:3-2:5 warning privilege-escalation db',
    '2:3-2:5 warning capabilities db',
    '3:20-3:25 hint mutable-image-reference db',
    '5:3-5:6 warning readonly-root-filesystem web',
    '5:3-5:6 warning run-as-root web',
    '5:3-5:6 warning privilege-escalation web',
    '5:3-5:6 warning capabilities web',
    '9:9-9:17 warning writable-host-path web',
  ],
  'redis-cluster.compose.yaml': [
    '2:15-2:26 hint mutable-image-reference redis-1',
    '2:15-2:26 hint mutable-image-reference redis-2',
    '2:15-2:26 hint mutable-image-reference redis-3',
    '14:15-14:27 warning capabilities redis-3',
  ],
  'suppressed.compose.yaml': [
    '4:39-4:45 hint mutable-image-reference legacy',
    '7:3-7:13 warning run-as-root watchtower',
    '8:33-8:39 hint mutable-image-reference watchtower',
  ],
  'traefik-proxy.compose.yaml': [
    '4:19-4:24 hint mutable-image-reference traefik',
    '10:9-10:53 error writable-host-path traefik',
    '16:3-16:9 warning readonly-root-filesystem whoami',
    '16:3-16:9 warning run-as-root whoami',
    '16:3-16:9 warning privilege-escalation whoami',
    '16:3-16:9 warning capabilities whoami',
    '17:26-17:32 hint mutable-image-reference whoami',
  ],
  'vault.compose.yaml': [
    '3:27-3:32 hint mutable-image-reference vault',
    '5:9-5:17 warning capabilities vault',
  ],
  'wordpress-mysql.compose.yaml': [
    '3:3-3:5 warning readonly-root-filesystem db',
    '3:3-3:5 warning run-as-root db',
    '3:3-3:5 warning privilege-escalation db',
    '3:3-3:5 warning capabilities db',
    '4:17-4:21 hint mutable-image-reference db',
    '11:3-11:12 warning readonly-root-filesystem wordpress',
    '11:3-11:12 warning run-as-root wordpress',
    '11:3-11:12 warning privilege-escalation wordpress',
    '11:3-11:12 warning capabilities wordpress',
    '13:21-13:28 warning mutable-image-reference wordpress',
    '18:9-18:46 warning writable-host-path wordpress',
  ],
};

describe('realistic Compose files', () => {
  const files = readdirSync(FIXTURES).filter(name => name.endsWith('.yaml')).sort();
  it('has at least 20 files, each with its expected findings', () => {
    assert.ok(files.length >= 20, `${files.length} files`);
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });
  for (const name of files) {
    it(name, () => {
      const result = analyzeText(readFileSync(join(FIXTURES, name), 'utf8'));
      assert.deepEqual(result.documents.map(doc => `${doc.status} ${doc.kind}`), ['analysed Compose']);
      assert.deepEqual(result.findings.map(f => `${formatRange(f.range)} ${f.severity} ${f.rule} ${f.container}`), EXPECTED[name]);
    });
  }
});
