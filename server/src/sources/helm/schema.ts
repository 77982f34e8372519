// `values.schema.json`: the coalesced values of each chart checked against its schema, as Helm does before it
// renders. The JSON Schema keywords charts use are checked (type, required, properties, additionalProperties,
// items, enum, const, minimum/maximum, minLength/maxLength, pattern, minItems/maxItems); others are ignored.
import { GoMap, entryOrigin } from '../../gotemplate/values';
import { Chart, fileText } from './chart';
import { isTable } from './coalesce';

export interface SchemaProblem {
  /** One line for the list Helm prints under the chart's name. */
  text: string;
  message: string;
  span?: { file: string; start: number; end: number };
}

type Schema = { [key: string]: unknown };

/** Checks the chart's values, then each subchart's values under its key; returns the problems found. */
export function validateSchema(chart: Chart, values: GoMap): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  if (chart.schema) {
    let schema: unknown;
    try { schema = JSON.parse(fileText(chart.schema)); } catch (error) {
      problems.push({ text: `${chart.metadata.name}:\n- ${(error as Error).message}\n`, message: `values.schema.json is not JSON: ${(error as Error).message}`, span: { file: chart.schema.path, start: 0, end: 0 } });
      return problems;
    }
    const found: { path: string; message: string; container?: object; key?: string | number }[] = [];
    check(schema, values, '', found, undefined, undefined);
    if (found.length) {
      const text = `${chart.metadata.name}:\n${found.map(f => `- at '${f.path || '/'}': ${f.message}\n`).join('')}`;
      for (const f of found) {
        const origin = f.container && f.key !== undefined ? entryOrigin(f.container, f.key) : undefined;
        problems.push({ text: problems.length ? '' : text, message: `values.schema.json: at '${f.path || '/'}': ${f.message}`, ...(origin ? { span: { ...origin } } : {}) });
      }
    }
  }
  for (const sub of chart.dependencies) {
    const subValues = values[sub.metadata.name];
    problems.push(...validateSchema(sub, isTable(subValues) ? subValues : {}));
  }
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function check(schema: unknown, value: unknown, path: string, out: { path: string; message: string; container?: object; key?: string | number }[], container: object | undefined, key: string | number | undefined): void {
  if (schema === false) { out.push({ path, message: 'not allowed', container, key }); return; }
  if (!isTable(schema)) return;
  const s = schema as Schema;
  const report = (message: string) => out.push({ path, message, container, key });
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type.map(String) : [String(s.type)];
    if (!types.some(type => matchesType(value, type))) { report(`got ${typeOf(value) === 'integer' ? 'number' : typeOf(value)}, want ${types.join(' or ')}`); return; }
  }
  if (Array.isArray(s.enum) && !s.enum.some(e => equal(e, value))) report(`value must be one of ${s.enum.map(e => JSON.stringify(e)).join(', ')}`);
  if ('const' in s && !equal(s.const, value)) report(`value must be ${JSON.stringify(s.const)}`);
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n === 'number') {
    if (typeof s.minimum === 'number' && n < s.minimum) report(`minimum: got ${n}, want ${s.minimum}`);
    if (typeof s.maximum === 'number' && n > s.maximum) report(`maximum: got ${n}, want ${s.maximum}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) report(`minLength: got ${length}, want ${s.minLength}`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) report(`maxLength: got ${length}, want ${s.maxLength}`);
    if (typeof s.pattern === 'string' && s.pattern.length <= 1000) {
      let re: RegExp | undefined;
      try {
        // regex-check: a pattern the user wrote, run as written
        re = new RegExp(s.pattern, 'u');
      } catch {
        re = undefined;
      }
      if (re && value.length <= 10_000 && !re.test(value)) report(`'${value}' does not match pattern '${s.pattern}'`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) report(`minItems: got ${value.length}, want ${s.minItems}`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) report(`maxItems: got ${value.length}, want ${s.maxItems}`);
    if (isTable(s.items)) value.forEach((item, i) => check(s.items, item, `${path}/${i}`, out, value, i));
  }
  if (isTable(value)) {
    for (const name of Array.isArray(s.required) ? s.required.map(String) : []) if (!(name in value)) report(`missing property '${name}'`);
    const properties = isTable(s.properties) ? s.properties : {};
    for (const name of Object.keys(value)) {
      if (name in properties) check(properties[name], value[name], `${path}/${name}`, out, value, name);
      else if (s.additionalProperties === false) out.push({ path: `${path}/${name}`, message: 'additional property not allowed', container: value, key: name });
      else if (isTable(s.additionalProperties)) check(s.additionalProperties, value[name], `${path}/${name}`, out, value, name);
    }
  }
}

function equal(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);
  return JSON.stringify(a, (_, v) => norm(v)) === JSON.stringify(b, (_, v) => norm(v));
}
