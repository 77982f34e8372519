// Parses a container image reference the way Docker and the container runtimes read it.
//
// Grammar (distribution/reference, regexp.go):
//   reference := name [":" tag] ["@" digest]
//   name      := [domain "/"] path-component ["/" path-component]*
//   domain    := host [":" port]     host: DNS-like name, IPv4 or [IPv6]
// Familiar-name normalisation (distribution/reference, normalize.go, splitDockerDomain): the first
// component is a registry only if it contains "." or ":", is "localhost", or has an uppercase letter;
// otherwise the image lives on docker.io, where a one-component path gets the "library/" namespace.
// https://github.com/distribution/reference/blob/main/regexp.go
// https://github.com/distribution/reference/blob/main/normalize.go

export interface ImageReference {
  raw: string;
  /** The registry as written; undefined when the reference names none. */
  registry: string | undefined;
  /** The registry after normalisation: docker.io when absent, index.docker.io folded into docker.io. */
  domain: string;
  /** The repository path as written, e.g. "nginx" or "bitnami/redis". */
  path: string;
  /** The path after normalisation, e.g. "library/nginx" for "nginx" on docker.io. */
  repository: string;
  tag: string | undefined;
  /** The whole digest, algorithm included: "sha256:...". */
  digest: string | undefined;
  /** Offset in raw of the ':' that starts the tag. */
  tagOffset: number | undefined;
  /** Offset in raw of the '@' that starts the digest. */
  digestOffset: number | undefined;
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_NAMESPACE = 'library/';
// NameTotalLengthMax in distribution/reference, applied to the normalised "domain/repository".
const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** Dot-separated domain labels (letters, digits and inner dashes) or a bracketed IPv6 address, and a port. */
const HOST = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
// The OCI image spec fixes the encoding of its registered algorithms: lowercase hex of the hash length.
// https://github.com/opencontainers/image-spec/blob/main/descriptor.md#registered-algorithms
const REGISTERED_DIGESTS: Record<string, RegExp> = { sha256: /^[a-f0-9]{64}$/, sha512: /^[a-f0-9]{128}$/ };
// A bare 64-hex string is an image ID, not a name (ParseNormalizedNamed refuses it).
const IMAGE_ID = /^[a-f0-9]{64}$/;

function isDigest(digest: string): boolean {
  if (!DIGEST.test(digest)) return false;
  const colon = digest.indexOf(':');
  const encoding = REGISTERED_DIGESTS[digest.slice(0, colon)];
  return encoding === undefined || encoding.test(digest.slice(colon + 1));
}

function isRegistry(firstComponent: string): boolean {
  return /[.:]/.test(firstComponent) || firstComponent === 'localhost' || firstComponent !== firstComponent.toLowerCase();
}

/**
 * Parses an image reference; undefined when it is empty or malformed. Template placeholders
 * (`${IMAGE}`, `{{ .Values.image }}`) are malformed too, since no grammar rule admits `$`, `{` or spaces.
 */
export function parseImageReference(raw: string): ImageReference | undefined {
  if (parsedImages.has(raw)) return parsedImages.get(raw);
  const parsed = parse(raw);
  if (parsedImages.size >= MAX_PARSED_IMAGES) parsedImages.clear();
  parsedImages.set(raw, parsed);
  return parsed;
}

/**
 * References parsed so far: a stream names the same few images in container after container. They are frozen,
 * since every caller gets the same one; the table is emptied when full.
 */
const parsedImages = new Map<string, ImageReference | undefined>();
const MAX_PARSED_IMAGES = 1_000;

function parse(raw: string): ImageReference | undefined {
  if (IMAGE_ID.test(raw)) return undefined;

  const at = raw.indexOf('@');
  const digestOffset = at < 0 ? undefined : at;
  const digest = at < 0 ? undefined : raw.slice(at + 1);
  if (digest !== undefined && !isDigest(digest)) return undefined;

  // A ':' before the last '/' belongs to a registry port, never to a tag.
  const nameAndTag = at < 0 ? raw : raw.slice(0, at);
  const colon = nameAndTag.lastIndexOf(':');
  const tagOffset = colon > nameAndTag.lastIndexOf('/') ? colon : undefined;
  const tag = tagOffset === undefined ? undefined : nameAndTag.slice(tagOffset + 1);
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  const name = tagOffset === undefined ? nameAndTag : nameAndTag.slice(0, tagOffset);

  const slash = name.indexOf('/');
  const registry = slash >= 0 && isRegistry(name.slice(0, slash)) ? name.slice(0, slash) : undefined;
  const path = registry === undefined ? name : name.slice(slash + 1);
  if (registry !== undefined && !HOST.test(registry)) return undefined;
  if (!path.split('/').every(component => PATH_COMPONENT.test(component))) return undefined;

  const domain = registry === undefined || registry === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : registry;
  const repository = domain === DEFAULT_DOMAIN && !path.includes('/') ? OFFICIAL_NAMESPACE + path : path;
  if (domain.length + 1 + repository.length > MAX_NAME_LENGTH) return undefined;

  return Object.freeze({ raw, registry, domain, path, repository, tag, digest, tagOffset, digestOffset });
}

/** The short name Docker shows: docker.io and, for official images, library/ left out. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return `${ref.domain}/${ref.repository}`;
  const official = ref.repository.startsWith(OFFICIAL_NAMESPACE) ? ref.repository.slice(OFFICIAL_NAMESPACE.length) : '';
  return official !== '' && !official.includes('/') ? official : ref.repository;
}
