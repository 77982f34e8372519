import * as assert from 'node:assert/strict';
import { yaml } from '../../helpers';
import { fixTitles, testFixes } from './fixTable';

const APP = 'registry.example.com/shop/app:1.4.2';

testFixes('chmod-immutability-hack', [
  {
    name: 'the mission: drops `chmod ... &&` from the shell command, sets read-only and mounts nginx\'s write paths',
    code: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
              - name: nginx
                image: nginx:1.27
                command: ["/bin/sh", "-c", "chmod a-w -R / && nginx -g 'daemon off;'"]
                ports:
                  - containerPort: 80
    `,
    output: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
              - name: nginx
                image: nginx:1.27
                command: ["/bin/sh", "-c", "nginx -g 'daemon off;'"]
                ports:
                  - containerPort: 80
                securityContext:
                  readOnlyRootFilesystem: true
                volumeMounts:
                  - name: var-cache-nginx
                    mountPath: /var/cache/nginx
                  - name: var-run
                    mountPath: /var/run
            volumes:
              - name: var-cache-nginx
                emptyDir: {}
              - name: var-run
                emptyDir: {}
    `,
  },
  {
    name: 'a chmod at the end of a command line goes with the separator before it',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          args: ['prepare; chmod -R 555 /app']
          securityContext: {readOnlyRootFilesystem: true}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          args: ['prepare']
          securityContext: {readOnlyRootFilesystem: true}
    `,
  },
  {
    name: 'a line of a literal block script',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          command: [sh, -c]
          args:
          - |
            ./configure
            chmod -R a-w /
            exec ./serve
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          command: [sh, -c]
          args:
          - |
            ./configure
            exec ./serve
          securityContext:
            readOnlyRootFilesystem: true
    `,
  },
  {
    name: 'a startupProbe whose only job is the chmod goes away, last in the container (httpd, 4 spaces)',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
          name: httpd
      spec:
          containers:
              - name: httpd
                image: httpd:2.4
                startupProbe:
                    exec:
                        command: ["chmod", "-R", "a-w", "/"]
                    failureThreshold: 1
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
          name: httpd
      spec:
          containers:
              - name: httpd
                image: httpd:2.4
                securityContext:
                    readOnlyRootFilesystem: true
                volumeMounts:
                    - name: usr-local-apache2-logs
                      mountPath: /usr/local/apache2/logs
          volumes:
              - name: usr-local-apache2-logs
                emptyDir: {}
    `,
  },
  {
    name: 'a postStart hook that only runs the chmod through a shell goes with its empty lifecycle (CronJob)',
    code: yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: job}
      spec:
        jobTemplate:
          spec:
            template:
              spec:
                containers:
                - name: job
                  image: ${APP}
                  lifecycle:
                    postStart:
                      exec: {command: [/bin/sh, -c, "chmod -R a-w /opt"]}
                  securityContext:
                    readOnlyRootFilesystem: true
    `,
    output: yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: job}
      spec:
        jobTemplate:
          spec:
            template:
              spec:
                containers:
                - name: job
                  image: ${APP}
                  securityContext:
                    readOnlyRootFilesystem: true
    `,
  },
  {
    name: 'the other hook stays',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          lifecycle:
            postStart:
              exec:
                command: ["chmod", "-R", "a-w", "/srv"]
            preStop:
              exec:
                command: ["./drain"]
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          lifecycle:
            preStop:
              exec:
                command: ["./drain"]
          securityContext:
            readOnlyRootFilesystem: true
    `,
  },
  {
    name: 'the init-container alternative: the chmodded directory served read-only from a copy',
    title: /init container/,
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
        - name: web
          image: nginxinc/nginx-unprivileged:1.27
          command: ["sh", "-c", "chmod -R a-w /usr/share/nginx/html && exec nginx -g 'daemon off;'"]
          securityContext:
            readOnlyRootFilesystem: true
            runAsUser: 101
          volumeMounts:
          - name: tmp
            mountPath: /tmp
        volumes:
        - name: tmp
          emptyDir: {}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
        - name: web
          image: nginxinc/nginx-unprivileged:1.27
          command: ["sh", "-c", "exec nginx -g 'daemon off;'"]
          securityContext:
            readOnlyRootFilesystem: true
            runAsUser: 101
          volumeMounts:
          - name: tmp
            mountPath: /tmp
          - name: usr-share-nginx-html
            mountPath: /usr/share/nginx/html
            readOnly: true
        volumes:
        - name: tmp
          emptyDir: {}
        - name: usr-share-nginx-html
          emptyDir: {}
        initContainers:
        - name: prepare-usr-share-nginx-html
          image: nginxinc/nginx-unprivileged:1.27
          command: ["cp", "-a", "/usr/share/nginx/html/.", "/prepared/"]
          securityContext:
            runAsUser: 101
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
          volumeMounts:
          - name: usr-share-nginx-html
            mountPath: /prepared
    `,
  },
  {
    name: 'no fix when the chmod is all the container\'s own command runs',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          command: ["chmod", "-R", "a-w", "/"]
    `,
    output: null,
  },
]);

describe('chmod-immutability-hack fix titles', () => {
  it('names every step, and offers the init-container copy only for a directory other than /', () => {
    const code = yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
        - name: web
          image: nginx:1.27
          args: ["chmod -R a-w /usr/share/nginx/html / && nginx"]
    `;
    assert.deepEqual(fixTitles('chmod-immutability-hack', code), [
      '* Remove the chmod, set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/cache/nginx, /var/run',
      'Remove the chmod, set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/cache/nginx, /var/run, and serve /usr/share/nginx/html read-only from a copy an init container makes',
    ]);
  });
});
