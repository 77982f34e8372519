// JSON patches (RFC 6902) on rendered objects: add, remove, replace, move, copy and test, with JSON pointers
// (RFC 6901). The values a patch adds keep their origins in the patch, and every node an operation changes
// gets the operation's origin appended.
import { Origin } from '../origin';
import { addOrigin, clone, get, KMap, KNode, KSeq, remove, set } from './tree';
import { PatchError } from './strategicMerge';

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: KNode;
  /** The operation's node in the patch, for the origins of what it changes. */
  origin?: Origin;
}

/** The operations of a parsed JSON 6902 patch, or a PatchError saying what is malformed. */
export function readOperations(patch: KNode): JsonPatchOperation[] {
  if (patch.kind !== 'seq') throw new PatchError('a JSON 6902 patch must be a list of operations');
  return patch.items.map((item, index) => {
    if (item.kind !== 'map') throw new PatchError(`operation ${index + 1} of the JSON 6902 patch is not a map`);
    const op = stringField(item, 'op');
    const path = stringField(item, 'path');
    if (!op || !['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op)) throw new PatchError(`operation ${index + 1} of the JSON 6902 patch has no valid "op" (add, remove, replace, move, copy or test)`);
    if (path === undefined) throw new PatchError(`operation ${index + 1} of the JSON 6902 patch has no "path"`);
    const value = get(item, 'value');
    if ((op === 'add' || op === 'replace' || op === 'test') && !value) throw new PatchError(`operation ${index + 1} of the JSON 6902 patch ("${op}") has no "value"`);
    const from = stringField(item, 'from');
    if ((op === 'move' || op === 'copy') && from === undefined) throw new PatchError(`operation ${index + 1} of the JSON 6902 patch ("${op}") has no "from"`);
    return { op, path, from, value, origin: item.origins[item.origins.length - 1] };
  });
}

function stringField(map: KMap, key: string): string | undefined {
  const value = get(map, key);
  return value?.kind === 'scalar' && value.value !== null ? String(value.raw) : undefined;
}

/** Applies the operations to `root` in place. */
export function applyJsonPatch(root: KNode, operations: readonly JsonPatchOperation[]): void {
  for (const operation of operations) apply(root, operation);
}

function apply(root: KNode, operation: JsonPatchOperation): void {
  const tokens = parsePointer(operation.path);
  switch (operation.op) {
    case 'add':
      insert(root, tokens, clone(operation.value!), operation);
      return;
    case 'remove':
      take(root, tokens, operation);
      return;
    case 'replace': {
      const old = take(root, tokens, operation);
      const value = clone(operation.value!);
      value.origins = [...old.origins, ...value.origins];
      insert(root, tokens, value, operation);
      return;
    }
    case 'move': {
      const value = take(root, parsePointer(operation.from!), operation);
      insert(root, tokens, value, operation);
      return;
    }
    case 'copy':
      insert(root, tokens, clone(resolve(root, parsePointer(operation.from!), operation)), operation);
      return;
    case 'test': {
      const actual = resolve(root, tokens, operation);
      if (JSON.stringify(plain(actual)) !== JSON.stringify(plain(operation.value!))) throw new PatchError(`test of "${operation.path}" failed`);
      return;
    }
  }
}

function plain(node: KNode): unknown {
  if (node.kind === 'map') return Object.fromEntries([...node.entries].sort((a, b) => (a.key < b.key ? -1 : 1)).map((e) => [e.key, plain(e.value)]));
  if (node.kind === 'seq') return node.items.map(plain);
  return node.value;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`"${pointer}" is not a JSON pointer (it must start with "/")`);
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolve(root: KNode, tokens: readonly string[], operation: JsonPatchOperation): KNode {
  let node = root;
  for (const token of tokens) {
    const next = child(node, token);
    if (!next) throw new PatchError(`"${operation.path}" does not exist in the target (at "${token}")`);
    node = next;
  }
  return node;
}

function child(node: KNode, token: string): KNode | undefined {
  if (node.kind === 'map') return get(node, token);
  if (node.kind === 'seq') {
    const index = arrayIndex(token, node.items.length - 1);
    return index === undefined ? undefined : node.items[index];
  }
  return undefined;
}

function arrayIndex(token: string, max: number): number | undefined {
  if (!/^(?:0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return index <= max ? index : undefined;
}

function insert(root: KNode, tokens: readonly string[], value: KNode, operation: JsonPatchOperation): void {
  if (tokens.length === 0) throw new PatchError('a JSON 6902 patch cannot replace the whole object');
  const parent = resolve(root, tokens.slice(0, -1), operation);
  const last = tokens[tokens.length - 1];
  if (parent.kind === 'map') set(parent, last, value);
  else if (parent.kind === 'seq') insertItem(parent, last, value, operation);
  else throw new PatchError(`"${operation.path}": the parent is a scalar`);
  addOrigin(parent, operation.origin);
}

function insertItem(parent: KSeq, token: string, value: KNode, operation: JsonPatchOperation): void {
  if (token === '-') {
    parent.items.push(value);
    return;
  }
  const index = arrayIndex(token, parent.items.length);
  if (index === undefined) throw new PatchError(`"${operation.path}": index ${token} is out of range`);
  parent.items.splice(index, 0, value);
}

function take(root: KNode, tokens: readonly string[], operation: JsonPatchOperation): KNode {
  if (tokens.length === 0) throw new PatchError('a JSON 6902 patch cannot remove the whole object');
  const parent = resolve(root, tokens.slice(0, -1), operation);
  const last = tokens[tokens.length - 1];
  const old = child(parent, last);
  if (!old) throw new PatchError(`"${operation.path}" does not exist in the target`);
  if (parent.kind === 'map') remove(parent as KMap, last);
  else if (parent.kind === 'seq') parent.items.splice(Number(last), 1);
  addOrigin(parent, operation.origin);
  return old;
}
