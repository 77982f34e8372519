// The Compose fixes, byte for byte: minimal edits in the service's own style, landing where the value is defined.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/engine';
import { yaml } from '../../helpers';
import { fixTitles, testFixes } from '../fixes/fixTable';

const NGINX = yaml`
  services:
    web:
      image: nginx:1.27   # the proxy
      ports:
        - "8080:80"
`;

testFixes('readonly-root-filesystem', [
  {
    name: 'nginx: read_only with tmpfs at its write paths, after the last key, comments kept',
    code: NGINX,
    output: yaml`
      services:
        web:
          image: nginx:1.27   # the proxy
          ports:
            - "8080:80"
          read_only: true
          tmpfs: [/var/cache/nginx, /var/run]
    `,
  },
  {
    // An anchored map is never edited: the change would reach every service that merges it. The key goes into the
    // service's own map, which overrides the anchor's for this service alone.
    name: 'read_only: false in an anchor: read_only: true in the service, the anchor left as it is',
    code: yaml`
      x-defaults: &defaults
        restart: always
        read_only: false
      services:
        api:
          <<: *defaults
          image: registry.example.com/api:2.1.0
    `,
    output: yaml`
      x-defaults: &defaults
        restart: always
        read_only: false
      services:
        api:
          <<: *defaults
          image: registry.example.com/api:2.1.0
          read_only: true
    `,
  },
  {
    name: 'a tmpfs list in an anchor: the service gets the anchor\'s paths and the new ones, since a merge key takes a key whole',
    code: yaml`
      x-defaults: &defaults
        tmpfs: [/tmp]
      services:
        web:
          <<: *defaults
          image: nginx:1.27
    `,
    output: yaml`
      x-defaults: &defaults
        tmpfs: [/tmp]
      services:
        web:
          <<: *defaults
          image: nginx:1.27
          read_only: true
          tmpfs: [/tmp, /var/cache/nginx, /var/run]
    `,
  },
  {
    name: 'a tmpfs written as one path becomes a list with the new paths',
    code: yaml`
      services:
        web:
          image: nginx:1.27
          tmpfs: /tmp
    `,
    output: yaml`
      services:
        web:
          image: nginx:1.27
          tmpfs: [/tmp, /var/cache/nginx, /var/run]
          read_only: true
    `,
  },
  {
    name: 'harden: every setting at once, in a flow map',
    code: yaml`
      services:
        api: {image: "registry.example.com/api:2.1.0", privileged: true}
    `,
    title: /^Harden/,
    output: yaml`
      services:
        api: {image: "registry.example.com/api:2.1.0", privileged: false, read_only: true, security_opt: [no-new-privileges:true], cap_drop: [ALL]}
    `,
  },
]);

testFixes('writable-paths-unmounted', [
  {
    name: 'appends to the tmpfs list of the base the service extends',
    code: yaml`
      services:
        base:
          image: nginx:1.27
          tmpfs:
            - /var/run
        web:
          extends: base
          read_only: true
    `,
    finding: 0,
    output: yaml`
      services:
        base:
          image: nginx:1.27
          tmpfs:
            - /var/run
            - /var/cache/nginx
        web:
          extends: base
          read_only: true
    `,
  },
]);

testFixes('privilege-escalation', [
  {
    name: 'adds security_opt to a service without one',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
    `,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          security_opt: [no-new-privileges:true]
    `,
  },
  {
    name: 'appends to an existing list in its style',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          security_opt:
            - apparmor=docker-default
    `,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          security_opt:
            - apparmor=docker-default
            - no-new-privileges:true
    `,
  },
  {
    name: 'no-new-privileges:false is turned around in place, quotes kept',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          security_opt: ["no-new-privileges:false"]
    `,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          security_opt: ["no-new-privileges:true"]
    `,
  },
]);

testFixes('capabilities', [
  {
    name: 'cap_drop: [ALL] added',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          cap_drop: [NET_RAW]
    `,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          cap_drop: [NET_RAW, ALL]
    `,
  },
  {
    name: 'a dangerous cap_add item removed; the key goes with its last item',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          cap_drop: [ALL]
          cap_add:
            - SYS_ADMIN
          restart: always
    `,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          cap_drop: [ALL]
          restart: always
    `,
  },
  {
    name: 'nginx: dropping ALL is offered with the reason, not preferred',
    code: NGINX,
    output: null,
  },
]);

testFixes('writable-host-path', [
  {
    name: ':ro added to a short-syntax bind mount, quotes kept',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes:
            - "./config:/etc/app"
    `,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes:
            - "./config:/etc/app:ro"
    `,
  },
  {
    name: 'rw becomes ro, other options stay',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes:
            - ./data:/data:rw,z
            - ./logs:/logs:z
    `,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes:
            - ./data:/data:ro,z
            - ./logs:/logs:z
    `,
  },
  {
    name: 'in a flow sequence an option list would need quotes: :ro only where no comma is added',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes: [./logs:/logs:z, ./data:/data]
    `,
    output: null,
  },
  {
    name: 'in a flow sequence, a mount without options gets :ro',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes: [./logs:/logs:z, ./data:/data]
    `,
    finding: 1,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes: [./logs:/logs:z, ./data:/data:ro]
    `,
  },
  {
    name: 'read_only: true in long syntax',
    code: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes:
            - type: bind
              source: ./static
              target: /static
    `,
    output: yaml`
      services:
        api:
          image: registry.example.com/api:2.1.0
          volumes:
            - type: bind
              source: ./static
              target: /static
              read_only: true
    `,
  },
]);

testFixes('chmod-immutability-hack', [
  {
    name: 'the chmod leaves the shell line, read_only and tmpfs come in',
    code: yaml`
      services:
        web:
          image: nginx:1.27
          command: ["sh", "-c", "chmod -R a-w / && exec nginx -g 'daemon off;'"]
    `,
    output: yaml`
      services:
        web:
          image: nginx:1.27
          command: ["sh", "-c", "exec nginx -g 'daemon off;'"]
          read_only: true
          tmpfs: [/var/cache/nginx, /var/run]
    `,
  },
  {
    // The script is cut at its `&&`, and the quote that opens it would go with the chmod: no fix rather than a broken one.
    name: 'a chmod inside the quoted script of a string command (sh -c "...") has no automatic fix',
    code: yaml`
      services:
        web:
          image: nginx:1.27
          command: sh -c "chmod -R a-w /usr/share/nginx && exec nginx -g 'daemon off;'"
    `,
    output: null,
  },
  {
    name: 'a command that is only the chmod has no automatic fix',
    code: yaml`
      services:
        web:
          image: registry.example.com/api:2.1.0
          entrypoint: chmod -R a-w /app
    `,
    output: null,
  },
]);

describe('Compose fix titles', () => {
  it('nginx: read_only with tmpfs preferred, the bare setting and harden offered', () => {
    assert.deepEqual(fixTitles('readonly-root-filesystem', NGINX), [
      '* Set read_only: true and mount tmpfs at /var/cache/nginx, /var/run',
      'Set read_only: true',
      'Harden service "web": read-only, no new privileges, no capabilities (nginx:1.27 then cannot switch to user nginx)',
    ]);
    assert.deepEqual(fixTitles('capabilities', NGINX), [
      'Drop ALL capabilities (nginx:1.27 then cannot switch to user nginx)',
      'Harden service "web": read-only, no new privileges, no capabilities (nginx:1.27 then cannot switch to user nginx)',
    ]);
  });

  it('offers no fix in a file whose lines end in a lone CR, which the parser keeps inside values, and reports no error', () => {
    const result = analyzeText('services:\n  web:\r\n    image: nginx:1.27\n    tmpfs: /tmp\r', {});
    assert.deepEqual(result.findings.map(f => `${f.rule} ${f.range.start.line}:${f.range.start.character} ${f.fixes?.length ?? 0}`), [
      'readonly-root-filesystem 1:2 0', 'run-as-root 1:2 0', 'privilege-escalation 1:2 0', 'capabilities 1:2 0', 'mutable-image-reference 2:16 0',
    ]);
    assert.equal(result.errors, undefined);
  });
});
