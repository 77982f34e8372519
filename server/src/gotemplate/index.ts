// Go's text/template in TypeScript, with a source map. Nothing here knows about Helm or Kubernetes: the chart
// renderer gives it templates, functions (Sprig, Helm's) and data (values with their origins, see values.ts).

export { ExecError, Templates, defaultLimits, isTrue } from './exec';
export type { ErrorLocation, ExecuteOptions, Rendered, TemplateLimits, TemplateOptions } from './exec';
export { ParseError } from './parse';
export { formatValue, goTypeName, sprint, sprintf, sprintln } from './fmt';
export * from './values';
