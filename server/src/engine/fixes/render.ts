// Renders the values a fix inserts as YAML text in the file's own layout: block style where the text around
// is block style, flow style inside flow collections, and lists of plain words always in flow style
// (`drop: [ALL]`), as Kubernetes manifests usually write them.
import { ItemStyle, Layout } from './layout';

export type Value = string | number | boolean | Value[] | ValueMap;
export interface ValueMap { [key: string]: Value }

export function isValueMap(value: Value): value is ValueMap {
  return typeof value === 'object' && !Array.isArray(value);
}

/** Words that YAML 1.1 reads as something other than a string when they are left unquoted. */
const NOT_A_STRING = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;
/** Plain in block and flow context alike: no indicator first, no `: ` or ` #`, no flow punctuation. */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./@:-]*$/;

function isPlain(text: string): boolean {
  return PLAIN.test(text) && !NOT_A_STRING.test(text);
}

function scalar(value: string | number | boolean, quote: boolean): string {
  if (typeof value !== 'string') return String(value);
  return quote || !isPlain(value) ? JSON.stringify(value) : value;
}

const isScalarValue = (value: Value): value is string | number | boolean => typeof value !== 'object';

/** A list is quoted all or nothing, so `["cp", "-a", ...]` does not mix styles. */
function flowList(items: Value[]): string {
  const quote = items.some(item => typeof item === 'string' && !isPlain(item));
  return `[${items.map(item => (isScalarValue(item) ? scalar(item, quote) : flow(item))).join(', ')}]`;
}

export function flow(value: Value): string {
  if (isScalarValue(value)) return scalar(value, false);
  if (Array.isArray(value)) return flowList(value);
  return `{${Object.entries(value).map(([key, item]) => `${key}: ${flow(item)}`).join(', ')}}`;
}

/** `key: value` whose key sits at `keyColumn`; nested lines start with the layout's line ending. */
export function blockPair(key: string, value: Value, keyColumn: number, layout: Layout): string {
  return `${key}:${blockValue(value, keyColumn, layout)}`;
}

/** What follows `key:` in block style: ` scalar`, ` [flow]`, or the nested lines of a map or a list of maps. */
export function blockValue(value: Value, keyColumn: number, layout: Layout): string {
  if (isScalarValue(value)) return ` ${scalar(value, false)}`;
  if (Array.isArray(value)) {
    if (!value.length || value.every(isScalarValue)) return ` ${flowList(value)}`;
    return blockItems(value, keyColumn + layout.sequenceIndent, layout.mapItem, layout);
  }
  const entries = Object.entries(value);
  if (!entries.length) return ' {}';
  const childColumn = keyColumn + layout.indent;
  return entries.map(([key, item]) => `${layout.eol}${' '.repeat(childColumn)}${blockPair(key, item, childColumn, layout)}`).join('');
}

/** Items of a block sequence whose dashes sit at `dashColumn`, written in `style`; each starts with a line ending. */
export function blockItems(items: Value[], dashColumn: number, style: ItemStyle, layout: Layout): string {
  const column = dashColumn + style.offset;
  const afterDash = style.bare ? `${layout.eol}${' '.repeat(column)}` : ' '.repeat(style.offset - 1);
  return items.map(item => `${layout.eol}${' '.repeat(dashColumn)}-${afterDash}${blockItem(item, column, layout)}`).join('');
}

/** A sequence item where its text starts: a map's first pair there, the others below it at `column`. */
function blockItem(item: Value, column: number, layout: Layout): string {
  if (!isValueMap(item)) return isScalarValue(item) ? scalar(item, false) : flow(item);
  const pairs = Object.entries(item).map(([key, value]) => blockPair(key, value, column, layout));
  return pairs.join(`${layout.eol}${' '.repeat(column)}`);
}
