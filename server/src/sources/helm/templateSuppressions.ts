// Suppressions written in a chart's templates as template comments, which render to nothing:
// `{{- /* kube-immutable-ignore <rule> -- reason */}}` on its own line above a container item, a key or the
// resource covers what that line opens, as `# kube-immutable-ignore` does in a manifest (that YAML comment renders,
// so the engine reads it in the rendered text). The template is read by lines, never parsed: each such comment is
// read as the `#` directive it stands for, and a line of template actions alone (`{{- if ... }}`, `{{- end }}`)
// as a blank line, so that what the directive's next line opens is measured by indentation as in a manifest.
import { Range } from '../../engine';
import { suppressedInSource } from '../sourceSuppressions';

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

/** Is a finding of `rule` about template line `line` suppressed by a directive of the template (either form)? */
export function suppressedInTemplate(template: string, rule: string, line: number): boolean {
  if (!template.includes('kube-immutable-ignore')) return false;
  const at: Range = { start: { line, character: 0 }, end: { line, character: 0 } };
  return suppressedInSource(directiveView(template), rule, at);
}
