// Paths that widely used images write at start-up or in normal operation. With a read-only root
// filesystem and no volume mounted at (or above) one of them, the container crashes or misbehaves.
// Every entry cites the image's documentation or Dockerfile; add nothing without a source.
import { parseImageReference } from '../imageReference';

export interface WritePath {
  path: string;
  reason: string;
  /**
   * The path is a VOLUME of the image's Dockerfile: Docker (and so Compose) mounts an anonymous volume there,
   * which stays writable under a read-only root; Kubernetes ignores VOLUME.
   */
  declaredVolume?: boolean;
  /** Whether the container's command and arguments turn the writing off (e.g. persistence disabled). */
  notWrittenWith?: (args: readonly string[]) => boolean;
}

/** Does `args` hold the option `flag` followed by `value`? */
function hasOption(args: readonly string[], flag: string, value: string): boolean {
  return args.some((arg, i) => arg === flag && args[i + 1] === value);
}

export interface ImageWritePaths {
  /** Canonical names, "<domain>/<repository>" as parseImageReference normalises them. */
  repositories: string[];
  paths: WritePath[];
  source: string;
}

// Docker Official Images are served under the same path by Amazon ECR Public
// (https://gallery.ecr.aws/docker) and by Google's Docker Hub cache
// (https://cloud.google.com/artifact-registry/docs/pull-cached-dockerhub-images).
export function officialImage(name: string): string[] {
  return [`docker.io/library/${name}`, `public.ecr.aws/docker/library/${name}`, `mirror.gcr.io/library/${name}`];
}

export const IMAGE_WRITE_PATHS: readonly ImageWritePaths[] = [
  {
    repositories: officialImage('nginx'),
    paths: [
      { path: '/var/cache/nginx', reason: 'nginx creates its client-body and proxy temp directories here at start-up' },
      { path: '/var/run', reason: 'nginx writes its pid file, /var/run/nginx.pid, at start-up' },
    ],
    source: 'https://hub.docker.com/_/nginx#running-nginx-in-read-only-mode',
  },
  {
    repositories: [
      'docker.io/nginxinc/nginx-unprivileged',
      'ghcr.io/nginxinc/nginx-unprivileged',
      'public.ecr.aws/nginx/nginx-unprivileged',
    ],
    paths: [{ path: '/tmp', reason: 'this image moves the nginx pid file and all *_temp_path directories to /tmp' }],
    source: 'https://github.com/nginxinc/docker-nginx-unprivileged#readme',
  },
  {
    // PidFile defaults to logs/httpd.pid under ServerRoot: https://httpd.apache.org/docs/2.4/mod/mpm_common.html#pidfile
    repositories: officialImage('httpd'),
    paths: [{ path: '/usr/local/apache2/logs', reason: 'httpd writes its pid file, logs/httpd.pid, under its ServerRoot at start-up' }],
    source: 'https://github.com/docker-library/httpd/blob/master/2.4/httpd-foreground',
  },
  {
    repositories: officialImage('postgres'),
    paths: [
      { path: '/var/lib/postgresql/data', declaredVolume: true, reason: 'PGDATA and VOLUME (up to PostgreSQL 17; 18+ use /var/lib/postgresql/18/docker): initdb creates the cluster here on first start' },
      { path: '/var/run/postgresql', reason: 'the server creates its Unix-domain socket and lock file here' },
    ],
    source: 'https://github.com/docker-library/postgres/blob/master/Dockerfile-debian.template',
  },
  {
    repositories: officialImage('mysql'),
    paths: [
      { path: '/var/lib/mysql', declaredVolume: true, reason: 'datadir and VOLUME: the entrypoint initialises the database here on first start' },
      { path: '/var/run/mysqld', reason: 'mysqld creates its socket and lock files here' },
    ],
    source: 'https://github.com/docker-library/mysql/blob/master/Dockerfile.oracle',
  },
  {
    repositories: officialImage('mariadb'),
    paths: [
      { path: '/var/lib/mysql', declaredVolume: true, reason: 'datadir and VOLUME: the entrypoint initialises the database here on first start' },
      { path: '/run/mysqld', reason: 'mariadbd creates its socket and lock files here' },
    ],
    source: 'https://github.com/MariaDB/mariadb-docker/blob/master/11.4/Dockerfile',
  },
  {
    repositories: officialImage('redis'),
    paths: [{
      path: '/data',
      declaredVolume: true,
      reason: 'working directory and VOLUME: Redis writes its RDB snapshots and AOF files here',
      // `--save ""` turns RDB snapshots off, and AOF is off unless `--appendonly yes`: Redis then writes nothing
      // here (https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/).
      notWrittenWith: args => hasOption(args, '--save', '') && !hasOption(args, '--appendonly', 'yes'),
    }],
    source: 'https://hub.docker.com/_/redis#start-with-persistent-storage',
  },
  {
    // The entrypoint's first-run initialisation: https://github.com/docker-library/mongo/blob/master/docker-entrypoint.sh
    repositories: officialImage('mongo'),
    paths: [
      { path: '/data/db', declaredVolume: true, reason: 'dbPath and VOLUME: data files, journal and mongod.lock' },
      { path: '/tmp', reason: 'the entrypoint writes the pid file of its temporary mongod here during first-start initialisation' },
    ],
    source: 'https://github.com/docker-library/mongo/blob/master/Dockerfile-linux.template',
  },
  {
    repositories: officialImage('rabbitmq'),
    paths: [{ path: '/var/lib/rabbitmq', declaredVolume: true, reason: 'RABBITMQ_DATA_DIR, HOME and VOLUME: node database and the Erlang cookie written at first start' }],
    source: 'https://github.com/docker-library/rabbitmq/blob/master/Dockerfile-ubuntu.template',
  },
  {
    repositories: ['docker.io/grafana/grafana', 'docker.io/grafana/grafana-oss', 'docker.io/grafana/grafana-enterprise'],
    paths: [{ path: '/var/lib/grafana', reason: 'GF_PATHS_DATA: the SQLite database and installed plugins' }],
    source: 'https://grafana.com/docs/grafana/latest/setup-grafana/configure-docker/',
  },
  {
    repositories: ['docker.io/prom/prometheus', 'quay.io/prometheus/prometheus'],
    paths: [{ path: '/prometheus', declaredVolume: true, reason: 'working directory, VOLUME and --storage.tsdb.path: the time-series database' }],
    source: 'https://github.com/prometheus/prometheus/blob/main/Dockerfile',
  },
  {
    repositories: ['docker.elastic.co/elasticsearch/elasticsearch', ...officialImage('elasticsearch')],
    paths: [
      { path: '/usr/share/elasticsearch/config', reason: 'Elasticsearch generates its keystore in the config directory' },
      { path: '/usr/share/elasticsearch/data', reason: 'path.data: indices and cluster state' },
      { path: '/usr/share/elasticsearch/logs', reason: 'path.logs: Elasticsearch needs write access to its log directory' },
    ],
    source: 'https://www.elastic.co/docs/deploy-manage/deploy/self-managed/install-elasticsearch-docker-prod',
  },
  {
    // CATALINA_BASE and CATALINA_TMPDIR of the image: https://hub.docker.com/_/tomcat
    repositories: officialImage('tomcat'),
    paths: [
      { path: '/usr/local/tomcat/logs', reason: 'CATALINA_BASE/logs: instance log files; Tomcat fails to start or misbehaves when it cannot create them' },
      { path: '/usr/local/tomcat/temp', reason: 'CATALINA_TMPDIR: temporary files of the JVM' },
      { path: '/usr/local/tomcat/work', reason: 'CATALINA_BASE/work: temporary working directories of the deployed web applications' },
    ],
    source: 'https://tomcat.apache.org/tomcat-10.1-doc/introduction.html#CATALINA_HOME_and_CATALINA_BASE',
  },
  {
    repositories: officialImage('wordpress'),
    paths: [{ path: '/var/www/html', declaredVolume: true, reason: 'VOLUME: the entrypoint copies WordPress here from /usr/src/wordpress on first start' }],
    source: 'https://github.com/docker-library/wordpress/blob/master/Dockerfile.template',
  },
  {
    repositories: ['docker.io/jenkins/jenkins'],
    paths: [{ path: '/var/jenkins_home', declaredVolume: true, reason: 'JENKINS_HOME and VOLUME: configuration, plugins, jobs and build history' }],
    source: 'https://github.com/jenkinsci/docker/blob/master/debian/Dockerfile',
  },
  {
    repositories: officialImage('caddy'),
    paths: [
      { path: '/config', reason: 'XDG config directory: Caddy saves its last active configuration here' },
      { path: '/data', reason: 'XDG data directory: TLS certificates, private keys and OCSP staples' },
    ],
    source: 'https://hub.docker.com/_/caddy',
  },
  {
    repositories: officialImage('sonarqube'),
    paths: [
      { path: '/opt/sonarqube/data', declaredVolume: true, reason: 'VOLUME: the embedded database and Elasticsearch indexes' },
      { path: '/opt/sonarqube/extensions', declaredVolume: true, reason: 'VOLUME: plugins' },
      { path: '/opt/sonarqube/logs', declaredVolume: true, reason: 'VOLUME: access, web, compute engine and Elasticsearch logs' },
      { path: '/opt/sonarqube/temp', declaredVolume: true, reason: 'VOLUME and ES_TMPDIR: temporary files' },
    ],
    source: 'https://github.com/SonarSource/docker-sonarqube/blob/master/community-build/Dockerfile',
  },
  {
    repositories: officialImage('nextcloud'),
    paths: [{ path: '/var/www/html', declaredVolume: true, reason: 'VOLUME: the entrypoint installs or upgrades Nextcloud here from /usr/src/nextcloud at start-up' }],
    source: 'https://github.com/nextcloud/docker/blob/master/Dockerfile-debian.template',
  },
  {
    repositories: officialImage('registry'),
    paths: [{ path: '/var/lib/registry', declaredVolume: true, reason: 'VOLUME and root directory of the default filesystem storage' }],
    source: 'https://github.com/distribution/distribution-library-image/blob/master/Dockerfile',
  },
];

const CONFIGURED_REASON = 'listed for this image under `imageWritePaths` in the kube-immutable configuration';

export function canonicalName(image: string): string | undefined {
  const ref = parseImageReference(image);
  return ref && `${ref.domain}/${ref.repository}`;
}

const BUILT_IN = new Map(IMAGE_WRITE_PATHS.flatMap(entry => entry.repositories.map(name => [name, entry.paths] as const)));

/**
 * The paths an image writes, or undefined when it is unknown. Tags and digests are ignored; registry and
 * repository must match after normalisation (`nginx`, `library/nginx:alpine` and `docker.io/library/nginx`
 * are one image; `quay.io/someone/nginx` is another). `extra` maps image names from the user's
 * configuration to their paths; it replaces the built-in entry of the same image.
 */
export function writePathsForImage(image: string, extra: Record<string, string[]> = {}): WritePath[] | undefined {
  const name = canonicalName(image);
  if (name === undefined) return undefined;
  const configured = Object.entries(extra).find(([key]) => canonicalName(key) === name);
  if (configured) return configured[1].map(path => ({ path, reason: CONFIGURED_REASON }));
  return BUILT_IN.get(name);
}
