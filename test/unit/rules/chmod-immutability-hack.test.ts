import * as assert from 'node:assert/strict';
import { testRule, yaml } from '../../helpers';
import { findChmodHacks, removesOwnerWrite } from '../../../server/src/engine/chmodCommands';

const pod = (containerLines: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n${containerLines}`;

describe('chmod-immutability-hack detection', () => {
  const hacks: [string, string][] = [
    ['chmod a-w -R / && nginx', 'chmod a-w -R /'],
    ['chmod -R a-w /', 'chmod -R a-w /'],
    ['chmod -R 555 / ; exec httpd-foreground', 'chmod -R 555 /'],
    ['chmod --recursive 0444 /app', 'chmod --recursive 0444 /app'],
    ['/bin/chmod -Rf u-w,g-w,o-w /', '/bin/chmod -Rf u-w,g-w,o-w /'],
    ['set -e\nchmod -R -w /usr\nexec app', 'chmod -R -w /usr'],
    ['chmod -R a=rx / || true', 'chmod -R a=rx /'],
    ['chmod -fR a-w /', 'chmod -fR a-w /'],
    ['chmod -vfR a-w / | tee log', 'chmod -vfR a-w /'],
  ];
  for (const [command, call] of hacks) it(`finds ${JSON.stringify(command)}`, () => assert.deepEqual(findChmodHacks(command).map(c => c.text), [call]));
  const fine = ['chmod -fv a-w /', 'chmod -r a-w /', 'chmod a-w /etc/app.conf', 'chmod -R go-w /app', 'chmod -R 755 /app', 'chmod -R u+w /data', 'echo chmod', 'nginx -g "daemon off;"'];
  for (const command of fine) it(`leaves ${JSON.stringify(command)}`, () => assert.deepEqual(findChmodHacks(command), []));
  it('reads the owner digit of numeric modes', () => {
    assert.deepEqual(['555', '0555', '444', '500', '755', '0644', '2755', '1555'].map(removesOwnerWrite), [true, true, true, true, false, false, false, true]);
  });
});

testRule('chmod-immutability-hack', {
  valid: [
    { name: 'no chmod', code: pod('    command: ["nginx", "-g", "daemon off;"]\n') },
    {
      name: 'chmod of a mounted volume prepares the volume',
      code: pod(yaml`
            command: ["sh", "-c", "chmod -R a-w /config && exec app"]
            volumeMounts:
            - {name: config, mountPath: /config}
      `.replace(/^/gm, '    ')),
    },
  ],
  invalid: [
    {
      name: 'shell command string: on that string',
      code: pod('    command: ["/bin/sh", "-c", "chmod a-w -R / && nginx -g \'daemon off;\'"]\n'),
      findings: [{ range: '7:32-7:74', container: 'app', message: /^Container "app" runs `chmod a-w -R \/` in its command/ }],
    },
    {
      name: 'in args, block style',
      code: pod('    command: [sh, -c]\n    args:\n    - |\n      chmod -R 555 /\n      exec httpd-foreground\n'),
      findings: [{ range: '9:7-12:1' }],
    },
    {
      name: 'exec form spread over arguments: from chmod to the last argument',
      code: pod('    startupProbe:\n      exec:\n        command: ["chmod", "-R", "a-w", "/"]\n'),
      findings: [{ range: '9:19-9:44', message: /in its startupProbe/ }],
    },
    {
      name: 'lifecycle hook of an init container, numeric mode read as written',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          initContainers:
          - name: lock
            lifecycle:
              postStart:
                exec:
                  command: [chmod, -R, 0555, /usr]
          containers: []
      `,
      findings: [{ range: '10:21-10:42', container: 'lock', message: /`chmod -R 0555 \/usr` in its postStart hook/ }],
    },
  ],
});
