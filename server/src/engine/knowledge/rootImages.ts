// Images that start as root: their Dockerfile sets no USER. The kubelet refuses to start such an image
// with runAsNonRoot: true ("container has runAsNonRoot and image will run as root", kubelet
// verifyRunAsNonRoot). Those that then switch to a service user (nginx workers, an entrypoint's gosu)
// need SETUID and SETGID for it, so dropping ALL capabilities stops them too: nginx logs
// "setgid(101) failed (1: Operation not permitted)". Both fixes are still right for the container, but
// only once it runs a variant of the image built for a non-root user, so neither is applied blindly.
// Every entry cites its source: the image's Dockerfile or entrypoint, or the server's documentation.
import { canonicalName, officialImage } from './imageWritePaths';
import { Container } from '../workloads';

export interface RootImage {
  repositories: string[];
  /** The user it switches to after starting as root; absent when it stays root. */
  switchesTo?: string;
  source: string;
}

// The database images' entrypoints re-run themselves as the service user (with gosu or setpriv) when started as root.
const gosu = (name: string, user: string): RootImage => ({
  repositories: officialImage(name),
  switchesTo: user,
  source: `https://github.com/docker-library/${name}/blob/master/docker-entrypoint.sh`,
});

export const ROOT_IMAGES: readonly RootImage[] = [
  // nginx.conf says `user nginx;`: the master process runs as root and its workers as nginx (UID 101).
  { repositories: officialImage('nginx'), switchesTo: 'nginx', source: 'https://github.com/nginxinc/docker-nginx/blob/master/mainline/debian/Dockerfile' },
  // The parent process runs as root and its children as the User of httpd.conf.
  { repositories: officialImage('httpd'), switchesTo: 'daemon', source: 'https://httpd.apache.org/docs/2.4/mod/mod_unixd.html#user' },
  gosu('postgres', 'postgres'),
  gosu('mysql', 'mysql'),
  { repositories: officialImage('mariadb'), switchesTo: 'mysql', source: 'https://github.com/MariaDB/mariadb-docker/blob/master/docker-entrypoint.sh' },
  gosu('redis', 'redis'),
  gosu('mongo', 'mongodb'),
  gosu('rabbitmq', 'rabbitmq'),
  // Apache httpd inside, with User www-data.
  { repositories: officialImage('wordpress'), switchesTo: 'www-data', source: 'https://github.com/docker-library/wordpress/blob/master/Dockerfile.template' },
  { repositories: officialImage('nextcloud'), switchesTo: 'www-data', source: 'https://github.com/nextcloud/docker/blob/master/Dockerfile-apache.template' },
  { repositories: officialImage('tomcat'), source: 'https://github.com/docker-library/tomcat/blob/master/Dockerfile.template' },
  { repositories: officialImage('caddy'), source: 'https://github.com/caddyserver/caddy-docker/blob/master/Dockerfile.base' },
  { repositories: officialImage('registry'), source: 'https://github.com/distribution/distribution-library-image/blob/master/Dockerfile' },
];

const BY_NAME = new Map(ROOT_IMAGES.flatMap(entry => entry.repositories.map(name => [name, entry] as const)));

/**
 * Images whose Dockerfile names a non-root user instead of giving its UID. The kubelet cannot check a name against
 * runAsNonRoot: true ("image has non-numeric user (nobody), cannot verify user is non-root") and refuses to start
 * the container unless runAsUser gives the UID.
 */
export interface NamedUserImage {
  repositories: string[];
  user: string;
  uid: number;
  source: string;
}

export const NAMED_USER_IMAGES: readonly NamedUserImage[] = [
  // `USER nobody` on quay.io/prometheus/busybox, whose /etc/passwd gives nobody the UID 65534.
  { repositories: ['docker.io/prom/prometheus', 'quay.io/prometheus/prometheus'], user: 'nobody', uid: 65534, source: 'https://github.com/prometheus/prometheus/blob/main/Dockerfile' },
  { repositories: ['docker.io/prom/alertmanager', 'quay.io/prometheus/alertmanager'], user: 'nobody', uid: 65534, source: 'https://github.com/prometheus/alertmanager/blob/main/Dockerfile' },
];

const NAMED_BY_NAME = new Map(NAMED_USER_IMAGES.flatMap(entry => entry.repositories.map(name => [name, entry] as const)));

/** Has the container a non-zero runAsUser, which the kubelet then checks instead of the image's user? */
function setsUser(container: Container): boolean {
  const user = container.effective.runAsUser?.value;
  return typeof user === 'number' && user > 0;
}

function lookUp<T>(container: Container, table: ReadonlyMap<string, T>): T | undefined {
  if (setsUser(container)) return undefined;
  const name = container.image === undefined ? undefined : canonicalName(container.image);
  return name === undefined ? undefined : table.get(name);
}

/** The entry of an image known to start as root, whatever runs it. */
export function rootImageFor(image: string): RootImage | undefined {
  const name = canonicalName(image);
  return name === undefined ? undefined : BY_NAME.get(name);
}

/** The entry of an image known to name its user, whatever runs it. */
export function namedUserImageFor(image: string): NamedUserImage | undefined {
  const name = canonicalName(image);
  return name === undefined ? undefined : NAMED_BY_NAME.get(name);
}

/** The entry of the container's image when it names its user and the container does not set a non-zero runAsUser. */
export function namedUserImage(container: Container): NamedUserImage | undefined {
  return lookUp(container, NAMED_BY_NAME);
}

/** Why runAsNonRoot: true would keep the container from starting, when its image is known to run as root. */
export function rootImageCaveat(container: Container): string | undefined {
  return rootImage(container) && `${container.image} runs as root, so the kubelet will not start it`;
}

/**
 * The entry of the container's image when it is known to start as root and the container does not set a
 * non-zero runAsUser (which the kubelet then checks instead of the image). Tags and digests are ignored.
 */
export function rootImage(container: Container): RootImage | undefined {
  return lookUp(container, BY_NAME);
}
