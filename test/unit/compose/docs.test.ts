// The Docker Compose section of each rule page: its "Before" YAML gets the rule's finding, its "After" YAML does not.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingsOf } from '../../helpers';

const DOCS = join(__dirname, '..', '..', '..', '..', 'docs', 'rules');
const RULES = ['readonly-root-filesystem', 'writable-paths-unmounted', 'run-as-root', 'privilege-escalation', 'capabilities',
  'privileged-container', 'mutable-image-reference', 'writable-host-path', 'chmod-immutability-hack'];

describe('docs: the Docker Compose section of each rule page', () => {
  for (const rule of RULES) {
    it(`${rule}: before is reported, after is not`, () => {
      const page = readFileSync(join(DOCS, `${rule}.md`), 'utf8');
      const section = page.split('\n## Docker Compose\n')[1]?.split('\n## ')[0];
      assert.ok(section, 'no Docker Compose section');
      const block = (label: string) => new RegExp(`${label}[^\\n]*:\\n\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\``).exec(section)?.[1];
      const before = block('Before');
      const after = block('After');
      assert.ok(before && after, 'no Before and After YAML');
      assert.notDeepEqual(findingsOf(rule, before).filter(f => f.severity !== 'hint'), []);
      assert.deepEqual(findingsOf(rule, after).filter(f => f.severity !== 'hint').map(f => f.message), []);
    });
  }
});
