// Suppressions written in a chart's templates as template comments, which render to nothing:
// `{{- /* kube-immutable-ignore <rule> -- reason */}}` on its own line above a container item, a key or the
// resource covers what that line opens, as `# kube-immutable-ignore` does in a manifest (that YAML comment renders,
// so the engine reads it in the rendered text). The template is read by lines, never parsed: each such comment is
// read as the `#` directive it stands for, and a line of template actions alone (`{{- if ... }}`, `{{- end }}`)
// as a blank line, so that what the directive's next line opens is measured by indentation as in a manifest.
import { Range } from '../../engine';
import { Directive, parseDirective } from '../../engine/suppressions';
import { Rendering, SourceDirectives } from '../sourceFindings';
import { SourceTexts } from '../sourceTexts';
import { coveredLines, sourceDirectives, sourceSuppressors } from '../sourceSuppressions';

const KEYWORD = /^kube-immutable-ignore(?:-file)?(?:[ \t]|$)/;

/** The text of a template comment action alone on its line (`{{- /* text *\/ -}}`), without the comment marks. */
function commentText(line: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return undefined;
  let inner = trimmed.slice(2, -2);
  // Trim markers are a dash beside the delimiter and white space (Go's text/template).
  if (/^-[ \t]/.test(inner)) inner = inner.slice(1);
  if (/[ \t]-$/.test(inner)) inner = inner.slice(0, -1);
  inner = inner.trim();
  if (inner.length < 4 || !inner.startsWith('/*') || !inner.endsWith('*/')) return undefined;
  return inner.slice(2, -2).trim();
}

/** Is a line made of template actions only (`{{- if .Values.x }}`, `{{- end }}`)? */
function actionsOnly(line: string): boolean {
  let rest = line.trim();
  if (!rest.startsWith('{{')) return false;
  while (rest.startsWith('{{')) {
    const close = rest.indexOf('}}', 2);
    if (close < 0) return false;
    rest = rest.slice(close + 2).trimStart();
  }
  return rest === '';
}

/** The template's lines as a manifest's comments would say them: directives in comment actions, action lines blank. */
export function directiveView(template: string): string {
  return template.split('\n').map(line => {
    const comment = commentText(line);
    if (comment !== undefined && KEYWORD.test(comment)) return `${/^[ \t]*/.exec(line)![0]}# ${comment}`;
    return actionsOnly(line) ? '' : line;
  }).join('\n');
}

/** The lines of the directives of a template (either form) that suppress a finding of `rule` about template line `line`. */
export function templateSuppressors(template: string, rule: string, line: number): number[] {
  if (!template.includes('kube-immutable-ignore')) return [];
  const at: Range = { start: { line, character: 0 }, end: { line, character: 0 } };
  return sourceSuppressors(directiveView(template), rule, at);
}

/**
 * The directives written as template comments, with their ranges in the template's own lines. (A `#` directive of a
 * template renders, and the analysis of the rendered text reports it when it suppresses nothing.)
 */
export function templateCommentDirectives(template: string): Directive[] {
  if (!template.includes('kube-immutable-ignore')) return [];
  const lines = template.split('\n');
  return directiveView(template).split('\n').flatMap((view, i) => {
    const comment = commentText(lines[i]);
    if (comment === undefined || !KEYWORD.test(comment)) return [];
    const directive = parseDirective(view, i);
    if (!directive) return [];
    // The comment's text is the same in both lines from its keyword on.
    const shift = lines[i].indexOf('kube-immutable-ignore') - view.indexOf('kube-immutable-ignore');
    const moved = (range: Range): Range => ({ start: { line: i, character: range.start.character + shift }, end: { line: i, character: range.end.character + shift } });
    return [{ ...directive, keywordRange: moved(directive.keywordRange), rules: directive.rules.map(rule => ({ ...rule, range: moved(rule.range) })) }];
  });
}

const isTemplate = (file: string) => /\/templates\//.test(file);

/** A chart's directives: template comments in its templates, `#` comments in its other files (values files). */
export const CHART_DIRECTIVES: SourceDirectives = {
  directives: (file, text) => (isTemplate(file) ? templateCommentDirectives(text) : sourceDirectives(text)),
  label: (file, directive) => {
    const keyword = directive.kind === 'file' ? 'kube-immutable-ignore-file' : 'kube-immutable-ignore';
    return isTemplate(file) ? `{{/* ${keyword} */}}` : `# ${keyword}`;
  },
};

/**
 * The lines of a chart's files that some rendering printed: template text written out, and values printed from a
 * values file. By file.
 */
export class RenderedLines {
  private readonly byFile = new Map<string, Set<number>>();

  add(rendering: Rendering, sources: SourceTexts): void {
    for (const document of rendering.documents) {
      for (const segment of document.segments) {
        for (const origin of segment.origins) {
          if (origin.kind === 'generated') continue;
          const range = sources.range(origin.span);
          if (!range) continue;
          let lines = this.byFile.get(origin.span.file);
          if (!lines) this.byFile.set(origin.span.file, lines = new Set());
          for (let line = range.start.line; line <= range.end.line; line++) lines.add(line);
        }
      }
    }
  }

  /**
   * Can a directive of a chart's file be told unused? Only when some of what it covers was printed: a directive
   * above a part of a template that the value sets linted leave out (`{{- if .Values.x }}`), or above values that no
   * template they render prints, may serve the values of another install.
   */
  judges(file: string, text: string, directive: Directive): boolean {
    const lines = this.byFile.get(file);
    if (!lines?.size) return false;
    if (directive.kind === 'file') return true;
    const covered = coveredLines(isTemplate(file) ? directiveView(text) : text, directive.line);
    // One with nothing below it covers nothing anywhere.
    if (!covered || covered.firstLine < 0) return true;
    for (let line = covered.firstLine; line <= covered.lastLine; line++) if (lines.has(line)) return true;
    return false;
  }
}
