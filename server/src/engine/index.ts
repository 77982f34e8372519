// The engine's public face for the language server, the CLI and the tests.
export * from './types';
export { analyzeText, analyzeChunk, parseChunk, assemble, chunkStarts, countNewlines, startsChunk, splitStream, severityOf, isHelmTemplate, PARSE_ERROR_RULE } from './analyze';
export type { AnalyzeOptions, ChunkParse, DocumentResult } from './analyze';
export { IncrementalAnalyzer } from './incremental';
export type { Progress, StreamText, UnchangedEnds } from './incremental';
export type { EngineOptions } from './rule';
export { RULES } from './rules';
export { mergePolicies, namespacePoliciesIn, policyFor, withNamespacePolicies } from './podSecurity/namespaces';
export type { NamespacePolicies } from './podSecurity/namespaces';
export * from './config';
export { globProblem, matchesAnyGlob, MAX_GLOB_EXPANSIONS } from './globs';
export { UNUSED_SUPPRESSION_RULE, parseDirective } from './suppressions';
export { ignoreForContainerEdit, ignoreForContainerEdits } from './ignoreComment';
export { ANALYSIS_LIMIT_RULE, EDITOR_LIMITS, LIMIT_MESSAGES, MAX_ALIASED_NODES, MAX_NESTING_DEPTH } from './limits';
export type { DocumentLimits } from './limits';
