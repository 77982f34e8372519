import * as assert from 'node:assert/strict';
import { familiarName, ImageReference, parseImageReference } from '../../server/src/engine/imageReference';

const SHA256 = '0123456789abcdef'.repeat(4);
const SHA512 = '0123456789abcdef'.repeat(8);

// Each row is the whole parse result, so every field is pinned.
const valid: ImageReference[] = [
  { raw: 'nginx', registry: undefined, domain: 'docker.io', path: 'nginx', repository: 'library/nginx', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: 'nginx:1.27', registry: undefined, domain: 'docker.io', path: 'nginx', repository: 'library/nginx', tag: '1.27', digest: undefined, tagOffset: 5, digestOffset: undefined },
  { raw: 'nginx:latest', registry: undefined, domain: 'docker.io', path: 'nginx', repository: 'library/nginx', tag: 'latest', digest: undefined, tagOffset: 5, digestOffset: undefined },
  { raw: 'library/nginx', registry: undefined, domain: 'docker.io', path: 'library/nginx', repository: 'library/nginx', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: 'bitnami/redis', registry: undefined, domain: 'docker.io', path: 'bitnami/redis', repository: 'bitnami/redis', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: 'docker.io/nginx', registry: 'docker.io', domain: 'docker.io', path: 'nginx', repository: 'library/nginx', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: 'index.docker.io/library/nginx', registry: 'index.docker.io', domain: 'docker.io', path: 'library/nginx', repository: 'library/nginx', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: `docker.io/library/nginx:1.27@sha256:${SHA256}`, registry: 'docker.io', domain: 'docker.io', path: 'library/nginx', repository: 'library/nginx', tag: '1.27', digest: `sha256:${SHA256}`, tagOffset: 23, digestOffset: 28 },
  { raw: `nginx@sha256:${SHA256}`, registry: undefined, domain: 'docker.io', path: 'nginx', repository: 'library/nginx', tag: undefined, digest: `sha256:${SHA256}`, tagOffset: undefined, digestOffset: 5 },
  { raw: 'localhost/app', registry: 'localhost', domain: 'localhost', path: 'app', repository: 'app', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: 'localhost:5000/app', registry: 'localhost:5000', domain: 'localhost:5000', path: 'app', repository: 'app', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: 'localhost:5000/app:1.0', registry: 'localhost:5000', domain: 'localhost:5000', path: 'app', repository: 'app', tag: '1.0', digest: undefined, tagOffset: 18, digestOffset: undefined },
  // The port is not a tag.
  { raw: 'host:5000/app', registry: 'host:5000', domain: 'host:5000', path: 'app', repository: 'app', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: 'registry.example.com:5000/team/app/sub:v1', registry: 'registry.example.com:5000', domain: 'registry.example.com:5000', path: 'team/app/sub', repository: 'team/app/sub', tag: 'v1', digest: undefined, tagOffset: 38, digestOffset: undefined },
  { raw: 'quay.io/argoproj/argocd:latest', registry: 'quay.io', domain: 'quay.io', path: 'argoproj/argocd', repository: 'argoproj/argocd', tag: 'latest', digest: undefined, tagOffset: 23, digestOffset: undefined },
  { raw: `ghcr.io/org/img@sha256:${SHA256}`, registry: 'ghcr.io', domain: 'ghcr.io', path: 'org/img', repository: 'org/img', tag: undefined, digest: `sha256:${SHA256}`, tagOffset: undefined, digestOffset: 15 },
  { raw: `img@sha512:${SHA512}`, registry: undefined, domain: 'docker.io', path: 'img', repository: 'library/img', tag: undefined, digest: `sha512:${SHA512}`, tagOffset: undefined, digestOffset: 3 },
  // An algorithm outside the OCI registry only has to follow the grammar (32+ hex digits).
  { raw: 'img@blake3:0123456789abcdef0123456789ABCDEF', registry: undefined, domain: 'docker.io', path: 'img', repository: 'library/img', tag: undefined, digest: 'blake3:0123456789abcdef0123456789ABCDEF', tagOffset: undefined, digestOffset: 3 },
  { raw: '[::1]:5000/app:v2', registry: '[::1]:5000', domain: '[::1]:5000', path: 'app', repository: 'app', tag: 'v2', digest: undefined, tagOffset: 14, digestOffset: undefined },
  { raw: '192.168.1.10/app', registry: '192.168.1.10', domain: '192.168.1.10', path: 'app', repository: 'app', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  // Docker reads an uppercase first component as a registry, since namespaces are lowercase.
  { raw: 'MyRegistry/app', registry: 'MyRegistry', domain: 'MyRegistry', path: 'app', repository: 'app', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  // Separators: one '.', one or two '_', any number of '-'.
  { raw: 'my-org/my__app.v2--x', registry: undefined, domain: 'docker.io', path: 'my-org/my__app.v2--x', repository: 'my-org/my__app.v2--x', tag: undefined, digest: undefined, tagOffset: undefined, digestOffset: undefined },
  { raw: 'gcr.io/distroless/static:nonroot-amd64_v1.0', registry: 'gcr.io', domain: 'gcr.io', path: 'distroless/static', repository: 'distroless/static', tag: 'nonroot-amd64_v1.0', digest: undefined, tagOffset: 24, digestOffset: undefined },
  // Without a '/', "localhost:5000" is the image "localhost" tagged 5000, as in Docker.
  { raw: 'localhost:5000', registry: undefined, domain: 'docker.io', path: 'localhost', repository: 'library/localhost', tag: '5000', digest: undefined, tagOffset: 9, digestOffset: undefined },
];

const invalid: [string, string][] = [
  ['', 'empty'],
  [':tag', 'a tag alone'],
  ['@sha256:' + SHA256, 'a digest alone'],
  ['Nginx', 'uppercase in the repository path'],
  ['library/Nginx:1.0', 'uppercase in a nested path component'],
  ['nginx :1.27', 'a space'],
  [' nginx', 'leading space'],
  ['nginx:', 'an empty tag'],
  ['nginx:-1', 'a tag starting with "-"'],
  ['nginx:' + 'a'.repeat(129), 'a tag over 128 characters'],
  ['nginx@', 'an empty digest'],
  ['nginx@sha256:abc', 'a digest shorter than 32 hex digits'],
  ['nginx@sha256:' + SHA256.slice(1), 'sha256 with 63 hex digits'],
  ['nginx@sha256:' + SHA256.toUpperCase(), 'sha256 in uppercase hex'],
  ['nginx@sha512:' + SHA256, 'sha512 with 64 hex digits'],
  ['nginx@sha256:' + SHA256 + '@sha256:' + SHA256, 'two digests'],
  ['nginx:1.27:1.28', 'two tags'],
  ['/nginx', 'leading slash'],
  ['nginx/', 'trailing slash'],
  ['team//app', 'empty path component'],
  ['my..app', 'two dots in a row'],
  ['my___app', 'three underscores'],
  ['-app', 'a component starting with a separator'],
  ['registry-.example.com/app', 'a host label ending with "-"'],
  ['host:port/app', 'a non-numeric port'],
  ['${IMAGE}', 'a shell placeholder'],
  ['{{ .Values.image }}', 'a Helm placeholder'],
  ['registry.example.com/{{ .Values.name }}:1.0', 'a placeholder inside the path'],
  [SHA256, 'a bare image ID'],
  ['a'.repeat(250), 'a name over 255 characters once normalised'],
];

describe('parseImageReference', () => {
  for (const expected of valid) {
    it(`parses ${expected.raw}`, () => {
      assert.deepEqual(parseImageReference(expected.raw), expected);
    });
  }
  for (const [raw, why] of invalid) {
    it(`rejects ${why}`, () => {
      assert.equal(parseImageReference(raw), undefined);
    });
  }
});

describe('familiarName', () => {
  const cases: [string, string][] = [
    ['nginx', 'nginx'],
    ['docker.io/library/nginx:1.27', 'nginx'],
    ['index.docker.io/nginx', 'nginx'],
    ['bitnami/redis', 'bitnami/redis'],
    ['docker.io/library/team/app', 'library/team/app'],
    ['quay.io/argoproj/argocd:latest', 'quay.io/argoproj/argocd'],
    ['localhost:5000/app', 'localhost:5000/app'],
    ['public.ecr.aws/docker/library/nginx', 'public.ecr.aws/docker/library/nginx'],
  ];
  for (const [raw, familiar] of cases) {
    it(`gives ${familiar} for ${raw}`, () => {
      const ref = parseImageReference(raw);
      assert.ok(ref);
      assert.equal(familiarName(ref), familiar);
    });
  }
});
