import { testRule, yaml } from '../../helpers';

testRule('writable-paths-unmounted', {
  valid: [
    {
      name: 'every write path of the image has a volume',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            securityContext: {readOnlyRootFilesystem: true}
            volumeMounts:
            - {name: cache, mountPath: /var/cache/nginx}
            - {name: run, mountPath: /var/run/}
      `,
    },
    {
      name: 'a volume mounted above the write path covers it',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          containers:
          - name: db
            image: postgres:16
            securityContext: {readOnlyRootFilesystem: true}
            volumeMounts:
            - {name: lib, mountPath: /var/lib/postgresql}
            - {name: run, mountPath: /var/run}
      `,
    },
    {
      name: 'the root filesystem is writable (the readonly-root-filesystem rule speaks then)',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
      `,
    },
    {
      name: 'Redis with persistence turned off writes nothing to /data (as argo-cd runs it)',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: cache}
        spec:
          containers:
          - name: redis
            image: public.ecr.aws/docker/library/redis:8.10.1-alpine
            args: [--save, "", --appendonly, "no"]
            securityContext: {readOnlyRootFilesystem: true}
      `,
    },
    {
      name: 'an image the knowledge base does not know',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: quay.io/someone/nginx:1.27
            securityContext: {readOnlyRootFilesystem: true}
      `,
    },
    {
      name: 'an init container running its own command (a copy), not the image\'s program',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
          - name: prepare-html
            image: nginx:1.27
            command: ["cp", "-a", "/usr/share/nginx/html/.", "/prepared/"]
            securityContext: {readOnlyRootFilesystem: true}
            volumeMounts: [{name: html, mountPath: /prepared}]
          containers:
          - name: web
            image: nginx:1.27
            securityContext: {readOnlyRootFilesystem: true}
            volumeMounts: [{name: cache, mountPath: /var/cache/nginx}, {name: run, mountPath: /var/run}]
      `,
    },
    {
      name: 'a configured image whose paths are all mounted',
      options: { imageWritePaths: { 'registry.example.com/shop/app': ['/srv/cache'] } },
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
          - name: app
            image: registry.example.com/shop/app:2
            securityContext: {readOnlyRootFilesystem: true}
            volumeMounts: [{name: cache, mountPath: /srv/cache}]
      `,
    },
  ],
  invalid: [
    {
      name: 'Redis with snapshots off but the append-only file on still writes /data',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: cache}
        spec:
          containers:
          - name: redis
            image: redis:7.4
            args: [--save, "", --appendonly, "yes"]
            securityContext: {readOnlyRootFilesystem: true}
      `,
      findings: [{ range: '7:12-7:21', container: 'redis', message: /^Container "redis" runs redis with a read-only root filesystem, but no volume is mounted where it writes: \/data / }],
    },
    {
      name: 'nginx with a read-only root and no volumes: on the image, pointing at the setting',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            securityContext:
              readOnlyRootFilesystem: true
      `,
      findings: [{
        range: '7:12-7:22',
        container: 'web',
        related: ['9:31-9:35'],
        message: /^Container "web" runs nginx with a read-only root filesystem, but no volume is mounted where it writes: \/var\/cache\/nginx \(.*\); \/var\/run \(.*\)\. It will fail when it writes there\. Mount an emptyDir volume at each of these paths\.$/,
      }],
    },
    {
      name: 'only the paths no mount covers are named, whatever the registry, tag or digest',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: public.ecr.aws/docker/library/nginx:1.27-alpine@sha256:${'b'.repeat(64)}
                  securityContext: {readOnlyRootFilesystem: true}
                  volumeMounts: [{name: run, mountPath: /var/run}]
      `,
      findings: [{ range: '9:18-9:137', message: /^Container "web" runs public\.ecr\.aws\/docker\/library\/nginx with .* where it writes: \/var\/cache\/nginx \(.*\)\. .* at this path\.$/ }],
    },
    {
      name: 'a configured image, in an init container of a CronJob',
      options: { imageWritePaths: { 'registry.example.com/shop/app': ['/srv/cache'] } },
      code: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: c}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  initContainers:
                  - name: warm
                    image: registry.example.com/shop/app:2
                    securityContext: {readOnlyRootFilesystem: true}
      `,
      findings: [{ range: '11:20-11:51', container: 'warm', message: /^Init container "warm" runs registry\.example\.com\/shop\/app with a read-only root filesystem, .*\/srv\/cache \(listed for this image/ }],
    },
  ],
});
