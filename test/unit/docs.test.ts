// Each rule's page lists the message ids its findings carry.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_CHECKS, RULES } from '../../server/src/engine';

const ROOT = join(__dirname, '..', '..', '..');

describe('rule documentation', () => {
  for (const meta of [...RULES.map(rule => rule.meta), ...BUILT_IN_CHECKS]) {
    it(`docs/rules/${meta.id}.md lists the ids ${Object.keys(meta.messages).join(', ')}`, () => {
      const page = readFileSync(join(ROOT, 'docs', 'rules', `${meta.id}.md`), 'utf8');
      const section = page.slice(page.indexOf('## Message ids'));
      const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map(match => match[1]);
      assert.deepEqual(listed, Object.keys(meta.messages));
    });
  }
});
