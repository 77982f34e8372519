// The executor of Go's text/template (exec.go) over the value model of values.ts, with Go's semantics and error
// texts (`template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE`), limits on steps, output and depth, and
// a source map: every part of the output is a segment naming the template text, the action or the data it came from.

import * as builtin from './builtins';
import { Valued } from './builtins';
import { formatValue, goTypeName, PrintTooLong, sprint, sprintf, sprintln } from './fmt';
import { goQuote } from './lex';
import {
  ActionNode, ArgNode, ChainNode, CommandNode, FieldNode, IdentifierNode, IfNode, isEmptyTree, ListNode, Node, nodeString,
  parseTemplateOnce, PipeNode, RangeNode, TemplateNode, TextNode, Tree, VariableNode, WithNode,
} from './parse';
import {
  DataOrigin, entryOrigin, FunctionFactory, GoFunction, goTypeOf, isGoMap, NestingTooDeep, originOf, ParamType,
  passThroughOf, signatureOf, TemplateHandle, TextSegment, Traced,
} from './values';
import { utf8Length } from './bytes';

export interface TemplateLimits {
  /** Nodes walked and commands evaluated in one execution, includes and tpl counted in. */
  maxSteps: number;
  /** Characters of output of one execution, nested includes counted in. */
  maxOutput: number;
  /**
   * Nesting of `template`, include and tpl. Go allows 100000 and Helm stops include recursion at 1000; a
   * JavaScript stack of the default size holds about 570 includes, so the default stops at 500 with a clear error.
   */
  maxDepth: number;
}

export const defaultLimits: TemplateLimits = { maxSteps: 20_000_000, maxOutput: 64 * 1024 * 1024, maxDepth: 500 };

export interface TemplateOptions {
  /** Function maps, later ones winning; a factory receives the handle include and tpl need. */
  functions?: ReadonlyArray<Record<string, GoFunction> | FunctionFactory>;
  /** Go's `missingkey` option: `default` (invalid value, printed `<no value>`), `zero` (nil) or `error`. */
  missingKey?: 'default' | 'zero' | 'error';
  limits?: Partial<TemplateLimits>;
}

export interface ExecuteOptions {
  /** Record segments and data origins (on by default); off, execution only produces the text. */
  sourceMap?: boolean;
}

export interface Rendered {
  text: string;
  /** Sorted by start, outer segments before the ones they contain. */
  segments: TextSegment[];
}

/** Where an error sits: the file and offsets of the node (execution) or token (parsing) at fault. */
export interface ErrorLocation {
  file: string;
  start: number;
  end: number;
}

/** An execution error, with Go's message; `location` is the node at fault. */
export class ExecError extends Error {
  constructor(message: string, readonly location?: ErrorLocation) {
    super(message);
  }
}

const STACK_EXHAUSTED = 'exceeded maximum template depth (the stack is exhausted)';

const BUILTINS = new Set(['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'call', 'eq', 'ne', 'lt', 'le', 'gt', 'ge']);

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

/** The value of a missing pipeline input (Go's missingVal): no final argument. */
const MISSING: Valued = { v: undefined };

interface Shared {
  limits: TemplateLimits;
  steps: number;
  output: number;
  depth: number;
  sourceMap: boolean;
  exceeded?: string;
}

interface OutputBuffer {
  chunks: string[];
  length: number;
  segments: TextSegment[];
}

interface Variable {
  name: string;
  value: Valued;
}

/** A set of templates that can call each other, as Go's *template.Template with its associated templates. */
export class Templates {
  private readonly trees: Map<string, Tree>;
  private readonly files: Map<string, string>;
  private readonly functions: Record<string, GoFunction>;
  /** @internal The executions in progress, innermost last: the handle acts on the last one. */
  readonly runtime: { active: State[] };
  readonly missingKey: 'default' | 'zero' | 'error';
  readonly limits: TemplateLimits;

  constructor(options: TemplateOptions = {}, shared?: { trees: Map<string, Tree>; files: Map<string, string>; functions: Record<string, GoFunction>; runtime: { active: State[] } }) {
    this.missingKey = options.missingKey ?? 'default';
    this.limits = { ...defaultLimits, ...options.limits };
    if (shared) {
      this.trees = new Map(shared.trees);
      this.files = new Map(shared.files);
      this.functions = shared.functions;
      this.runtime = shared.runtime;
      return;
    }
    this.trees = new Map();
    this.files = new Map();
    this.runtime = { active: [] };
    this.functions = {};
    const handle = this.handle();
    for (const source of options.functions ?? []) {
      Object.assign(this.functions, typeof source === 'function' ? source(handle) : source);
    }
  }

  /**
   * Parses `text` as the template `name` (Helm names it `chart/templates/file.yaml`) and adds its defines to the
   * set; a later definition replaces an earlier one, as in Go. `file` is the path origins and errors name.
   * Throws a ParseError with Go's message.
   */
  parse(name: string, text: string, file: string = name): void {
    const trees = parseTemplateOnce(name, text, (fn) => this.functionNamed(fn) !== undefined || BUILTINS.has(fn), file);
    for (const [treeName, tree] of trees) {
      const existing = this.trees.get(treeName);
      if (existing && isEmptyTree(tree.root) && treeName !== name) continue;
      this.trees.set(treeName, tree);
      this.files.set(treeName, file);
    }
  }

  has(name: string): boolean {
    return this.trees.has(name);
  }

  /** The names of all templates of the set. */
  names(): string[] {
    return [...this.trees.keys()];
  }

  /** A copy of the set with the same functions; templates parsed into it stay there (Helm's tpl). */
  clone(): Templates {
    return new Templates({ missingKey: this.missingKey, limits: this.limits }, {
      trees: this.trees, files: this.files, functions: this.functions, runtime: this.runtime,
    });
  }

  /** Executes the template `name` with `data` as dot. Throws an ExecError with Go's message. */
  execute(name: string, data: unknown, options: ExecuteOptions = {}): Rendered {
    const tree = this.trees.get(name);
    if (!tree) throw new ExecError(`template: no template ${goQuote(name)} associated with template ${goQuote(name)}`);
    const shared: Shared = { limits: this.limits, steps: 0, output: 0, depth: 0, sourceMap: options.sourceMap ?? true };
    const root: Valued = { v: data, o: shared.sourceMap && data !== null && typeof data === 'object' ? originOf(data) : undefined };
    const buffer: OutputBuffer = { chunks: [], length: 0, segments: [] };
    const state = new State(this, shared, buffer, tree, name, root);
    this.runtime.active.push(state);
    try {
      state.walk(root, tree.root);
    } catch (error) {
      if (error instanceof RangeError) throw new ExecError(`template: ${name}: ${STACK_EXHAUSTED}`);
      throw error;
    } finally {
      this.runtime.active.pop();
    }
    return { text: buffer.chunks.join(''), segments: buffer.segments };
  }

  /** @internal */
  lookup(name: string): Tree | undefined {
    return this.trees.get(name);
  }

  /** @internal */
  fileOf(name: string): string {
    return this.files.get(name) ?? name;
  }

  /** @internal */
  functionNamed(name: string): GoFunction | undefined {
    return Object.prototype.hasOwnProperty.call(this.functions, name) ? this.functions[name] : undefined;
  }

  private handle(): TemplateHandle {
    const active = (): State => {
      const state = this.runtime.active[this.runtime.active.length - 1];
      if (!state) throw new Error('no template is being executed');
      return state;
    };
    return {
      has: (name) => active().templates.has(name),
      execute: (name, data) => active().executeNested(active().templates, name, data),
      render: (name, text, data, origin) => {
        const state = active();
        const copy = state.templates.clone();
        copy.parse(name, text, origin?.file ?? state.templates.fileOf(state.name));
        return state.executeNested(copy, name, data, origin);
      },
      currentTemplate: () => active().name,
      argumentOrigin: (index) => active().callArguments?.[index]?.o,
    };
  }
}

class State {
  private vars: Variable[];
  /** The arguments of the function call in progress, for the handle's argumentOrigin. */
  callArguments: readonly Valued[] | undefined;
  private node: Node | ArgNode | CommandNode | ListNode | undefined;

  constructor(
    readonly templates: Templates,
    private readonly shared: Shared,
    private readonly buffer: OutputBuffer,
    private readonly tree: Tree,
    readonly name: string,
    dot: Valued,
    /** Where the text of a tpl template came from (a values node): its literal parts are that value. */
    private readonly textOrigin?: DataOrigin,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  /** Runs a template of `templates` into a buffer of its own, for include and tpl. */
  executeNested(templates: Templates, name: string, data: unknown, textOrigin?: DataOrigin): Traced {
    const tree = templates.lookup(name);
    if (!tree) throw new Error(`template: no template ${goQuote(name)} associated with template ${goQuote(this.name)}`);
    // Reported by the function that asked (`error calling include: ...`), as Go reports a function's error.
    if (this.shared.depth >= this.shared.limits.maxDepth) throw new NestingTooDeep(`exceeded maximum template depth (${this.shared.limits.maxDepth})`);
    this.shared.depth++;
    const buffer: OutputBuffer = { chunks: [], length: 0, segments: [] };
    const dot: Valued = { v: data, o: this.shared.sourceMap && data !== null && typeof data === 'object' ? originOf(data) : undefined };
    const state = new State(templates, this.shared, buffer, tree, name, dot, textOrigin);
    const active = templates.runtime.active;
    active.push(state);
    try {
      for (const child of tree.root.nodes) state.walk(dot, child);
    } catch (error) {
      // The JavaScript stack ran out before maxDepth (frames are larger before the code is optimised): the
      // function that asked reports it, as any other error. Should building the error overflow again, the next
      // level out tries with more room.
      if (error instanceof RangeError) throw new NestingTooDeep(STACK_EXHAUSTED);
      throw error;
    } finally {
      active.pop();
      this.shared.depth--;
    }
    return new Traced(buffer.chunks.join(''), undefined, buffer.segments);
  }

  private enter(): void {
    if (this.shared.depth >= this.shared.limits.maxDepth) this.errorf(`exceeded maximum template depth (${this.shared.limits.maxDepth})`);
    this.shared.depth++;
  }

  // ---- errors ----

  private at(node: State['node']): void {
    this.node = node;
  }

  /** Throws Go's execution error at the current node; `inner` keeps the location of a nested template's error. */
  errorf(message: string, inner?: ErrorLocation): never {
    const node = this.node;
    if (!node) throw new ExecError(`template: ${this.name}: ${message}`, inner);
    const text = this.tree.text;
    const pos = Math.min(node.pos, text.length);
    const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    const line = 1 + countNewlines(text, pos);
    const column = utf8Length(text.slice(lineStart, pos));
    const context = nodeString(node as Node);
    const file = this.templates.fileOf(this.tree.name);
    throw new ExecError(
      `template: ${this.tree.parseName}:${line}:${column}: executing ${goQuote(this.name)} at <${context}>: ${message}`,
      inner ?? this.nodeSpan(node, file, context),
    );
  }

  /** The node's span in its file, for problems reported there. */
  private nodeSpan(node: NonNullable<State['node']>, file: string, context: string): ErrorLocation {
    const text = this.tree.text;
    let start = Math.min(node.pos, text.length);
    if ((node.type === 'field' || node.type === 'variable' || node.type === 'chain') && node.start !== undefined) start = node.start;
    if (node.type === 'action' || node.type === 'template') return { file, start: node.start, end: node.end };
    return { file, start, end: Math.min(text.length, start + context.length) };
  }

  private step(): void {
    const shared = this.shared;
    if (shared.exceeded) this.errorf(shared.exceeded);
    if (++shared.steps > shared.limits.maxSteps) {
      shared.exceeded = `template execution exceeded ${shared.limits.maxSteps} steps`;
      this.errorf(shared.exceeded);
    }
  }

  // ---- output ----

  private write(text: string, segment?: TextSegment, inner?: readonly TextSegment[]): void {
    if (text.length === 0) return;
    const shared = this.shared;
    shared.output += text.length;
    if (shared.output > shared.limits.maxOutput) {
      shared.exceeded = `template output exceeded ${shared.limits.maxOutput} bytes`;
      this.errorf(shared.exceeded);
    }
    const start = this.buffer.length;
    this.buffer.chunks.push(text);
    this.buffer.length += text.length;
    if (!shared.sourceMap) return;
    if (segment) this.buffer.segments.push(segment);
    if (inner) for (const s of inner) this.buffer.segments.push({ ...s, start: s.start + start, end: s.end + start });
  }

  private file(): string {
    return this.templates.fileOf(this.tree.name);
  }

  // ---- walking ----

  walk(dot: Valued, node: Node | ListNode): void {
    this.at(node);
    this.step();
    switch (node.type) {
      case 'list':
        // Lists are walked in place by their owners (one stack frame less per nesting level); a root list here.
        for (const child of node.nodes) this.walk(dot, child);
        return;
      case 'text':
        this.writeText(node);
        return;
      case 'comment':
        return;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return;
      }
      case 'if':
      case 'with':
        this.walkIfOrWith(dot, node);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private writeText(node: TextNode): void {
    const start = this.buffer.length;
    const origin = this.textOrigin ?? { file: this.file(), start: node.pos, end: node.pos + node.text.length };
    this.write(node.text, { start, end: start + node.text.length, kind: this.textOrigin ? 'value' : 'literal', origin });
  }

  private walkIfOrWith(dot: Valued, node: IfNode | WithNode): void {
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    if (isTrue(value.v)) {
      const inner = node.type === 'with' ? value : dot;
      for (const child of node.list.nodes) this.walk(inner, child);
    } else if (node.elseList) {
      for (const child of node.elseList.nodes) this.walk(dot, child);
    }
    this.vars.length = mark;
  }

  private printValue(node: ActionNode, value: Valued): void {
    this.at(node);
    const v = value.v;
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(node)} of type ${goTypeName(v)}`);
    let text = '<no value>';
    try {
      if (v !== undefined) text = formatValue(v, 'v', NO_FLAGS, this.shared.limits.maxOutput - this.shared.output);
    } catch (error) {
      if (error instanceof PrintTooLong) {
        this.shared.exceeded = `template output exceeded ${this.shared.limits.maxOutput} bytes`;
        this.errorf(this.shared.exceeded);
      }
      this.errorf((error as Error).message);
    }
    const start = this.buffer.length;
    const end = start + text.length;
    if (!this.shared.sourceMap) {
      this.write(text);
      return;
    }
    const segments: TextSegment[] = [];
    if (value.o) segments.push({ start: 0, end: text.length, kind: 'value', origin: value.o });
    if (value.s) segments.push(...value.s);
    const actionOrigin = this.textOrigin ?? { file: this.file(), start: node.start, end: node.end };
    this.write(text, { start, end, kind: 'action', origin: actionOrigin }, segments);
  }

  private walkRange(dot: Valued, node: RangeNode): void {
    this.at(node);
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    const inner = this.vars.length;
    const decl = node.pipe.decl;
    const iteration = (index: Valued, elem: Valued): boolean => {
      if (decl.length > 0) {
        if (node.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
        else this.vars[this.vars.length - 1].value = elem;
      }
      if (decl.length > 1) {
        if (node.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
        else this.vars[this.vars.length - 2].value = index;
      }
      try {
        this.walk(elem, node.list);
      } catch (signal) {
        if (signal === BREAK) return false;
        if (signal !== CONTINUE) throw signal;
      } finally {
        this.vars.length = inner;
      }
      return true;
    };
    const v = value.v;
    const trace = this.shared.sourceMap;
    let ran = false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        ran = true;
        if (!iteration({ v: BigInt(i) }, { v: v[i], o: trace ? entryOrigin(v, i) : undefined, i: true })) break;
      }
    } else if (v instanceof Uint8Array) {
      for (let i = 0; i < v.length; i++) {
        ran = true;
        if (!iteration({ v: BigInt(i) }, { v: BigInt(v[i]) })) break;
      }
    } else if (typeof v === 'bigint') {
      if (decl.length > 1) this.errorf(`can't use ${v} to iterate over more than one variable`);
      for (let i = 0n; i < v; i++) {
        ran = true;
        if (!iteration({ v: i }, { v: i })) break;
      }
    } else if (isGoMap(v)) {
      for (const key of Object.keys(v).sort(builtin.compareStrings)) {
        ran = true;
        if (!iteration({ v: key }, { v: v[key], o: trace ? entryOrigin(v, key) : undefined, i: true })) break;
      }
    } else if (v !== undefined && v !== null) {
      let printed: string;
      try {
        printed = formatValue(v, 'v', NO_FLAGS);
      } catch {
        printed = goTypeName(v);
      }
      this.errorf(`range can't iterate over ${printed}`);
    }
    if (!ran && node.elseList) this.walk(dot, node.elseList);
    this.vars.length = mark;
  }

  private walkTemplate(dot: Valued, node: TemplateNode): void {
    this.at(node);
    const tree = this.templates.lookup(node.name);
    if (!tree) this.errorf(`template ${goQuote(node.name)} not defined`);
    this.enter();
    try {
      const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : { v: undefined };
      const state = new State(this.templates, this.shared, this.buffer, tree, node.name, newDot, this.textOrigin);
      for (const child of tree.root.nodes) state.walk(newDot, child);
    } catch (error) {
      if (error instanceof RangeError) {
        this.at(node);
        this.errorf(STACK_EXHAUSTED);
      }
      throw error;
    } finally {
      this.shared.depth--;
    }
  }

  // ---- variables ----

  private setVar(name: string, value: Valued): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private varValue(name: string): Valued {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) return this.vars[i].value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- evaluation ----

  private evalPipeline(dot: Valued, pipe: PipeNode): Valued {
    this.at(pipe);
    let value = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // Go digs an interface{} down to the value inside: a nil interface becomes a missing value.
      if (value.v === null) value = { v: undefined, o: value.o };
      else if (value.i) value = { v: value.v, o: value.o, s: value.s };
    }
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], value);
      else this.vars.push({ name: variable.ident[0], value });
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[], final: Valued): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private evalCommand(dot: Valued, cmd: CommandNode, final: Valued): Valued {
    this.step();
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier': {
        // evalFunction, inlined: a frame less for each include level.
        this.at(first);
        const fn = this.templates.functionNamed(first.ident);
        if (fn) return this.evalCall(dot, fn, undefined, cmd, first.ident, cmd.args, final);
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      }
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return { v: first.value };
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      // eslint-disable-next-line no-fallthrough
      case 'number':
        return { v: first.value };
      case 'string':
        return { v: first.text };
    }
  }

  private evalFieldNode(dot: Valued, field: FieldNode, args: readonly ArgNode[], final: Valued): Valued {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: Valued, chain: ChainNode, args: readonly ArgNode[], final: Valued): Valued {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, chain.node, true);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Valued, variable: VariableNode, args: readonly ArgNode[], final: Valued): Valued {
    this.at(variable);
    const value = this.varValue(variable.ident[0]);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: Valued, receiver: Valued, node: ArgNode, ident: readonly string[], args: readonly ArgNode[], final: Valued): Valued {
    let current = receiver;
    for (let i = 0; i < ident.length - 1; i++) current = this.evalField(dot, ident[i], node, [], MISSING, current);
    return this.evalField(dot, ident[ident.length - 1], node, args, final, current);
  }

  /** `.Field` of a map (a key), a struct (a field) or a method call; Go's rules for missing and nil receivers. */
  private evalField(dot: Valued, name: string, node: ArgNode, args: readonly ArgNode[], final: Valued, receiver: Valued): Valued {
    const value = receiver.v;
    // A value read from a map or a list is an interface{} to Go: errors name that type.
    const staticType = (): string => (receiver.i ? 'interface {}' : goTypeName(value));
    if (value === undefined) {
      if (this.templates.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(name)}`);
      return { v: undefined };
    }
    if (value === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    if (Array.isArray(value) && typeof (value as unknown as Record<string, unknown>)[name] === 'function' && !(name in Array.prototype)) {
      // A method of a named slice type (Helm's APIVersions.Has).
      const method = (value as unknown as Record<string, GoFunction>)[name];
      return this.evalCall(dot, method, value, node, name, args, final);
    }
    if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date) && !(value instanceof Traced)) {
      const object = value as Record<string, unknown>;
      const member = object[name];
      const type = goTypeOf(object);
      // Methods: function properties of a struct, and non-enumerable ones of a map type (a map's entries are data).
      if (typeof member === 'function' && !(name in Object.prototype) && (type?.kind === 'struct' || !Object.prototype.propertyIsEnumerable.call(object, name))) {
        return this.evalCall(dot, member as GoFunction, object, node, name, args, final);
      }
      const hasArgs = args.length > 1 || final !== MISSING;
      if (type?.kind === 'struct') {
        if (Object.prototype.hasOwnProperty.call(object, name)) {
          if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
          return { v: member, o: this.shared.sourceMap ? entryOrigin(object, name) : undefined };
        }
      } else {
        if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
        if (Object.prototype.hasOwnProperty.call(object, name)) {
          return { v: member, o: this.shared.sourceMap ? entryOrigin(object, name) : undefined, i: true };
        }
        switch (this.templates.missingKey) {
          case 'default':
            return { v: undefined };
          case 'zero':
            return { v: null, i: true };
          case 'error':
            this.errorf(`map has no entry for key ${goQuote(name)}`);
        }
      }
    }
    this.errorf(`can't evaluate field ${name} in type ${staticType()}`);
  }

  private evalFunction(dot: Valued, node: IdentifierNode, cmd: CommandNode | IdentifierNode, args: readonly ArgNode[], final: Valued): Valued {
    this.at(node);
    const name = node.ident;
    const fn = this.templates.functionNamed(name);
    if (fn) return this.evalCall(dot, fn, undefined, cmd, name, args, final);
    if (BUILTINS.has(name)) return this.evalBuiltin(dot, cmd, name, args.slice(1), final);
    this.errorf(`${goQuote(name)} is not a defined function`);
  }

  /** Calls a function or method with its arguments (missing values passed as nil), as Go's evalCall. */
  private evalCall(dot: Valued, fn: GoFunction, receiver: object | undefined, node: ArgNode | CommandNode, name: string, args: readonly ArgNode[], final: Valued): Valued {
    const argNodes = args.slice(1);
    const declared = signatureOf(fn);
    let values: Valued[];
    if (declared) {
      const { params, variadic } = declared;
      const fixed = params.length - (variadic ? 1 : 0);
      const count = argNodes.length + (final === MISSING ? 0 : 1);
      if (variadic ? count < fixed : count !== fixed) {
        this.errorf(`wrong number of args for ${name}: want ${variadic ? 'at least ' : ''}${fixed} got ${variadic ? argNodes.length : count}`);
      }
      const typeAt = (i: number): ParamType => params[Math.min(i, params.length - 1)];
      values = argNodes.map((arg, i) => this.evalTypedArg(dot, arg, typeAt(i)));
      if (final !== MISSING) values.push(this.validateType(final, typeAt(count - 1)));
    } else {
      values = argNodes.map((arg) => this.evalArg(dot, arg, false));
      if (final !== MISSING) values.push(final.v === undefined ? { v: null, o: final.o, s: final.s } : final);
    }
    let result: unknown;
    const outer = this.callArguments;
    this.callArguments = values;
    try {
      result = fn.apply(receiver, values.map((value) => value.v));
    } catch (error) {
      if (error instanceof RangeError || error instanceof ExecError && this.shared.exceeded) throw error;
      this.at(node);
      this.errorf(`error calling ${name}: ${error instanceof Error ? error.message : String(error)}`, error instanceof ExecError ? error.location : undefined);
    } finally {
      this.callArguments = outer;
    }
    const out = builtin.untrace(result);
    if (!this.shared.sourceMap) return out;
    return this.passThrough(fn, out, values);
  }

  /** The origin (and text segments) a declared pass-through function hands from its arguments to its result. */
  private passThrough(fn: GoFunction, out: Valued, args: readonly Valued[]): Valued {
    if (out.o || out.s) return out;
    const how = passThroughOf(fn);
    if (!how || args.length === 0) return out;
    const last = args[args.length - 1];
    switch (how) {
      case 'select':
        for (let i = args.length - 1; i >= 0; i--) {
          if (args[i].v === out.v) return { v: out.v, o: args[i].o, s: args[i].s };
        }
        return out;
      case 'derive':
        return { v: out.v, o: last.o };
      case 'indent':
      case 'nindent': {
        const spaces = Number(args[0].v);
        if (!last.s || typeof last.v !== 'string' || !Number.isFinite(spaces)) return { v: out.v, o: last.o };
        return { v: out.v, o: last.o, s: indentSegments(last.v, last.s, Math.max(0, spaces), how === 'nindent') };
      }
    }
  }

  /** An argument for a parameter of a declared type: Go's evalArg, constants converted or refused as Go does. */
  private evalTypedArg(dot: Valued, node: ArgNode, type: ParamType): Valued {
    this.at(node);
    if (type === 'interface {}') return this.evalArg(dot, node, false);
    switch (node.type) {
      case 'nil':
        if (type === '[]interface {}' || type === 'map[string]interface {}') return { v: null };
        this.errorf(`cannot assign nil to ${type}`);
      // eslint-disable-next-line no-fallthrough
      case 'bool':
        if (type === 'bool') return { v: node.value };
        break;
      case 'string':
        if (type === 'string') return { v: node.text };
        break;
      case 'number':
        if ((type === 'int' || type === 'int64') && typeof node.value === 'bigint') return { v: node.value };
        if (type === 'float64') return { v: Number(node.value) };
        break;
      default:
        return this.validateType(this.evalArg(dot, node, true), type);
    }
    const expected = type === 'int' || type === 'int64' ? 'integer' : type === 'float64' ? 'float' : type;
    this.errorf(`expected ${expected}; found ${nodeString(node)}`);
  }

  /** Go's validateType: a value given to a typed parameter must be of that type (no conversions). */
  private validateType(value: Valued, type: ParamType): Valued {
    const v = value.v;
    if (type === 'interface {}') return v === undefined ? { v: null, o: value.o, s: value.s } : value;
    const nilable = type === '[]interface {}' || type === 'map[string]interface {}';
    if (v === undefined) {
      if (nilable) return { v: null, o: value.o };
      this.errorf(`invalid value; expected ${type}`);
    }
    let fits: boolean;
    switch (type) {
      case 'string': fits = typeof v === 'string'; break;
      case 'int': case 'int64': fits = typeof v === 'bigint'; break;
      case 'float64': fits = typeof v === 'number'; break;
      case 'bool': fits = typeof v === 'boolean'; break;
      case '[]interface {}': fits = Array.isArray(v) || v === null; break;
      default: fits = isGoMap(v) || v === null;
    }
    // A nil read from a map is an interface{} holding nothing: it fits no concrete type.
    if (!fits) this.errorf(`wrong type for value; expected ${type}; got ${v === null ? 'interface {}' : goTypeName(v)}`);
    return value;
  }

  /**
   * An argument's value. Go passes a missing value to an interface{} parameter as nil; the builtins (`raw`)
   * see it as missing.
   */
  private evalArg(dot: Valued, node: ArgNode, raw: boolean): Valued {
    this.at(node);
    let value: Valued;
    switch (node.type) {
      case 'dot':
        value = dot;
        break;
      case 'nil':
        return { v: null };
      case 'field':
        value = this.evalFieldNode(dot, node, [node], MISSING);
        break;
      case 'variable':
        value = this.evalVariableNode(dot, node, [], MISSING);
        break;
      case 'pipe':
        value = this.evalPipeline(dot, node);
        break;
      case 'identifier':
        value = this.evalFunction(dot, node, node, [node], MISSING);
        break;
      case 'chain':
        value = this.evalChainNode(dot, node, [], MISSING);
        break;
      case 'bool':
        return { v: node.value };
      case 'number':
        return { v: node.value };
      case 'string':
        return { v: node.text };
    }
    if (!raw && value.v === undefined) return { v: null, o: value.o };
    return value;
  }

  private evalBuiltin(dot: Valued, cmd: CommandNode | IdentifierNode, name: string, args: readonly ArgNode[], final: Valued): Valued {
    const count = args.length + (final === MISSING ? 0 : 1);
    const arity = (want: number, atLeast: boolean): void => {
      if (atLeast ? count < want : count !== want) {
        this.errorf(`wrong number of args for ${name}: want ${atLeast ? 'at least ' : ''}${want} got ${atLeast ? args.length : count}`);
      }
    };
    const evalAll = (raw: boolean): Valued[] => {
      const values = args.map((arg) => this.evalArg(dot, arg, raw));
      if (final !== MISSING) values.push(!raw && final.v === undefined ? { v: null } : final);
      return values;
    };
    const call = (fn: () => Valued): Valued => {
      try {
        return fn();
      } catch (error) {
        if (error instanceof ExecError || error instanceof RangeError) throw error;
        this.at(cmd);
        this.errorf(`error calling ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    switch (name) {
      case 'and':
      case 'or': {
        arity(1, true);
        let value: Valued = MISSING;
        for (const arg of args) {
          value = this.evalArg(dot, arg, true);
          if (isTrue(value.v) === (name === 'or')) return value;
        }
        return final !== MISSING ? final : value;
      }
      case 'not': {
        arity(1, false);
        return { v: !isTrue(evalAll(true)[0].v) };
      }
      case 'len':
        arity(1, false);
        return call(() => ({ v: builtin.length(evalAll(true)[0].v) }));
      case 'index': {
        arity(1, true);
        const [item, ...indexes] = evalAll(true);
        return call(() => builtin.index(item, indexes.map((i) => i.v), this.shared.sourceMap ? entryOrigin : undefined));
      }
      case 'slice': {
        arity(1, true);
        const [item, ...indexes] = evalAll(true);
        return call(() => ({ v: builtin.slice(item.v, indexes.map((i) => i.v)) }));
      }
      case 'print': {
        const values = evalAll(false).map((a) => a.v);
        return call(() => ({ v: sprint(values) }));
      }
      case 'println': {
        const values = evalAll(false).map((a) => a.v);
        return call(() => ({ v: sprintln(values) }));
      }
      case 'printf': {
        arity(1, true);
        const [format, ...rest] = evalAll(false);
        if (typeof format.v !== 'string') this.errorf(`wrong type for value; expected string; got ${goTypeName(format.v)}`);
        const text = format.v;
        return call(() => ({ v: sprintf(text, rest.map((a) => a.v)) }));
      }
      case 'html':
      case 'js':
      case 'urlquery': {
        const values = evalAll(false).map((a) => a.v);
        return call(() => ({ v: builtin[name](...values) }));
      }
      case 'call': {
        arity(1, true);
        const [fn, ...rest] = evalAll(true);
        return call(() => {
          if (fn.v === undefined || fn.v === null) throw new Error('call of nil');
          if (typeof fn.v !== 'function') throw new Error(`non-function ${nodeString(args[0] ?? cmd)} of type ${goTypeName(fn.v)}`);
          return builtin.untrace((fn.v as GoFunction)(...rest.map((a) => (a.v === undefined ? null : a.v))));
        });
      }
      case 'eq':
      case 'ne': {
        arity(1, true);
        const [first, ...rest] = evalAll(true);
        return call(() => {
          const equal = builtin.eq(first.v, ...rest.map((a) => a.v));
          return { v: name === 'eq' ? equal : !equal };
        });
      }
      default: {
        arity(2, false);
        const [a, b] = evalAll(true);
        return call(() => {
          switch (name) {
            case 'lt': return { v: builtin.lt(a.v, b.v) };
            case 'le': return { v: builtin.le(a.v, b.v) };
            case 'gt': return { v: !builtin.le(a.v, b.v) };
            default: return { v: !builtin.lt(a.v, b.v) };
          }
        });
      }
    }
  }
}


const NO_FLAGS = { minus: false, plus: false, sharp: false, space: false, zero: false };

/** Go's truth of a value for if/with/and/or/not. */
export function isTrue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  switch (typeof value) {
    case 'boolean': return value;
    case 'string': return value.length > 0;
    case 'bigint': return value !== 0n;
    case 'number': return value !== 0;
    case 'function': return true;
  }
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length > 0;
  if (value instanceof Date) return true;
  if (isGoMap(value)) return Object.keys(value).length > 0;
  return true;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Moves the segments of `text` to where (n)indent puts their characters: each line shifted by `spaces`. */
export function indentSegments(text: string, segments: readonly TextSegment[], spaces: number, leadingNewline: boolean): TextSegment[] {
  const lineBreaks: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineBreaks.push(i);
  const base = leadingNewline ? 1 : 0;
  // Offset i of the input moves by the padding of its own line and every line before it.
  const move = (i: number): number => {
    let lines = 0;
    let lo = 0;
    let hi = lineBreaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lineBreaks[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    lines = lo;
    return i + base + spaces * (lines + 1);
  };
  return segments.map((segment) => ({
    ...segment,
    start: move(segment.start),
    end: segment.end > segment.start ? move(segment.end - 1) + 1 : move(segment.start),
  }));
}

