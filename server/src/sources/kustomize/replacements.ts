// `replacements` (inline or `path:` files, and the ReplacementTransformer): copy the value at a source's
// `fieldPath` into the `fieldPaths` of every selected, not rejected, target. Semantics as Kustomize's
// api/filters/replacement (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/replacements/):
// exactly one source; `options.delimiter`/`index` pick a part of the source and set a part of the target (an index
// below 0 prepends, past the end appends); a target field that is missing is an error unless `options.create`; a
// scalar target keeps its type and takes the value's text, any other target takes the value as a whole.
import { Origin, SourceSpan } from '../origin';
import { createField, findFields } from './fieldPath';
import { Resource } from './resource';
import { selects } from './select';
import { clone, get, getString, KMap, KNode, KScalar, plainScalar, scalar } from './tree';

export class ReplacementError extends Error {
  constructor(message: string, readonly span: SourceSpan | undefined) {
    super(message);
  }
}

interface PartOptions {
  delimiter?: string;
  index: number;
  create: boolean;
}

export function applyReplacement(resources: Resource[], replacement: KNode, via: Origin): void {
  const span = replacement.origins[0]?.span;
  const source = get(replacement, 'source');
  if (source?.kind !== 'map') throw new ReplacementError('A replacement needs a `source`', span);
  const sources = resources.filter((resource) => selects(source, resource, true));
  if (sources.length !== 1) throw new ReplacementError(sources.length === 0 ? `No resource matches the replacement source ${describe(source)}` : `${sources.length} resources match the replacement source ${describe(source)}; it must select one`, source.origins[0]?.span ?? span);
  const fieldPath = getString(source, 'fieldPath') ?? 'metadata.name';
  let value = findFields(sources[0].object, fieldPath)[0]?.node;
  if (!value || (value.kind === 'scalar' && (value.value === null || value.value === '')) || (value.kind !== 'scalar' && (value.kind === 'map' ? value.entries.length : value.items.length) === 0)) {
    throw new ReplacementError(`The replacement source has nothing at ${fieldPath}`, source.origins[0]?.span ?? span);
  }
  const sourceOptions = partOptions(get(source, 'options'));
  if (sourceOptions.delimiter) {
    if (value.kind !== 'scalar') throw new ReplacementError('delimiter option can only be used with scalar nodes', span);
    const parts = textOf(value).split(sourceOptions.delimiter);
    if (sourceOptions.index < 0 || sourceOptions.index >= parts.length) throw new ReplacementError(`options.index ${sourceOptions.index} is out of bounds for value ${textOf(value)}`, span);
    // The part keeps the style of the whole: a part of a plain scalar is read again (`1.27` of `nginx:1.27` is a number, as kubectl prints it).
    const part = parts[sourceOptions.index];
    value = value.plain ? plainScalar(part, value.origins) : { ...value, raw: part, value: part };
  }
  const targets = get(replacement, 'targets');
  for (const target of targets?.kind === 'seq' ? targets.items : []) {
    const select = get(target, 'select');
    if (select?.kind !== 'map') throw new ReplacementError('A replacement target needs `select`', target.origins[0]?.span ?? span);
    const rejects = get(target, 'reject');
    const rejected = (resource: Resource) => rejects?.kind === 'seq' && rejects.items.some((reject) => reject.kind === 'map' && selects(reject, resource, true));
    const options = partOptions(get(target, 'options'));
    const paths = get(target, 'fieldPaths');
    for (const resource of resources) {
      if (!selects(select, resource, true) || rejected(resource)) continue;
      for (const path of paths?.kind === 'seq' ? paths.items : []) {
        const fieldPath = path.kind === 'scalar' ? String(path.value) : '';
        copyInto(resource.object, fieldPath, value, options, [...value.origins, via], path.origins[0]?.span ?? span);
      }
    }
  }
}

function copyInto(object: KMap, fieldPath: string, value: KNode, options: PartOptions, origins: Origin[], span: SourceSpan | undefined): void {
  let slots = findFields(object, fieldPath);
  let created = false;
  if (slots.length === 0 && options.create) {
    const slot = createField(object, fieldPath, origins);
    if (slot) slots = [slot];
    created = true;
  }
  if (slots.length === 0) throw new ReplacementError(`Unable to find field "${fieldPath}" in replacement target`, span);
  for (const slot of slots) {
    const target = slot.node;
    const isNull = target.kind === 'scalar' && target.value === null;
    if (options.delimiter) {
      if (target.kind !== 'scalar') throw new ReplacementError('delimiter option can only be used with scalar nodes', span);
      const parts = isNull ? [''] : textOf(target).split(options.delimiter);
      const part = textOf(value as KScalar);
      if (options.index < 0) parts.unshift(part);
      else if (options.index >= parts.length) parts.push(part);
      else parts[options.index] = part;
      slot.replace(withText(target, parts.join(options.delimiter), origins));
    } else if (target.kind === 'scalar' && value.kind === 'scalar' && !isNull && !created) {
      slot.replace(withText(target, textOf(value), origins));
    } else {
      const copy = clone(value);
      copy.origins = origins;
      slot.replace(copy);
    }
  }
}

/** The target's type with a new text: a string stays a string, a number or boolean reads the text again. */
function withText(target: KScalar, text: string, origins: Origin[]): KScalar {
  if (!target.plain || typeof target.value === 'string' || target.value === null) return scalar(text, origins);
  return plainScalar(text, origins);
}

function textOf(node: KScalar): string {
  return node.value === null ? '' : node.plain ? node.raw : String(node.value);
}

function partOptions(node: KNode | undefined): PartOptions {
  const index = get(node, 'index');
  const create = get(node, 'create');
  return {
    delimiter: getString(node, 'delimiter') || undefined,
    index: index?.kind === 'scalar' && typeof index.value === 'number' ? index.value : 0,
    create: create?.kind === 'scalar' && create.value === true,
  };
}

function describe(selector: KMap): string {
  return selector.entries.filter((e) => e.key !== 'fieldPath' && e.key !== 'options' && e.value.kind === 'scalar').map((e) => `${e.key}=${String((e.value as KScalar).value)}`).join(', ');
}
