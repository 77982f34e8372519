// Findings as a GitLab code quality report: the subset of Code Climate's issue format that GitLab reads from
// `artifacts:reports:codequality` and shows in merge requests
// (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format). GitLab does not read SARIF.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Finding, Severity } from './engine';
import { pathBelow } from './paths';

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  /** Tells GitLab which issues of two runs are the same one, so a merge request shows what it adds and fixes. */
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number; end: number } };
}

const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = { error: 'major', warning: 'minor', info: 'info', hint: 'info' };

/**
 * The issue of each finding of one file after another (a path, or undefined for standard input), for a report
 * written as the files are linted. Paths are relative to the working directory (the repository, in a CI job), as
 * GitLab links them.
 */
export function codeQualityIssueOf(cwd: string): (file: string | undefined) => (finding: Finding) => CodeQualityIssue {
  const seen = new Map<string, number>();
  return file => {
    const path = file === undefined ? '<stdin>' : pathBelow(cwd, resolve(file)) ?? resolve(file);
    return finding => {
      // Lines are left out of the fingerprint, so that an issue keeps it when lines are added above; the
      // message names the container and the field, and a count tells identical ones of one file apart.
      const key = `${path}\n${finding.rule}\n${finding.message}`;
      const occurrence = (seen.get(key) ?? 0) + 1;
      seen.set(key, occurrence);
      return {
        description: finding.message,
        check_name: finding.rule,
        fingerprint: createHash('sha256').update(`${key}\n${occurrence}`).digest('hex'),
        severity: SEVERITY[finding.severity],
        location: { path, lines: { begin: finding.range.start.line + 1, end: finding.range.end.line + 1 } },
      };
    };
  };
}
