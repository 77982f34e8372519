// The Compose checks of each rule: services read as Compose reads them (merge keys, `extends`, variables left
// unevaluated), with the exact range of each finding.
import { testRule, yaml } from '../../helpers';

testRule('readonly-root-filesystem', {
  valid: [
    {
      name: 'read_only: true, on the service or from an anchor',
      code: yaml`
        x-hardened: &hardened
          read_only: true
        services:
          api:
            image: registry.example.com/api:2.1.0
            read_only: true
          worker:
            <<: *hardened
            image: registry.example.com/worker:2.1.0
      `,
    },
    {
      name: 'read_only from a variable is unknown, not a finding',
      code: yaml`
        services:
          api:
            image: registry.example.com/api:2.1.0
            read_only: \${READ_ONLY:-true}
      `,
    },
    {
      name: 'a service that runs an exempt image is not checked',
      code: yaml`
        services:
          web:
            image: nginx:1.27
      `,
      options: { exemptImages: ['nginx'] },
    },
    {
      name: 'a service that extends one of another file: what it lacks may be set there',
      code: yaml`
        services:
          api:
            extends:
              file: common.yaml
              service: hardened
            image: registry.example.com/api:2.1.0
      `,
    },
    {
      name: 'a service with neither image nor build, as an override file adds to one',
      code: yaml`
        services:
          web:
            ports: ["8080:80"]
      `,
    },
    {
      name: 'a Kubernetes manifest with a services key is not a Compose file',
      code: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: services}
        data:
          services: web
      `,
    },
  ],
  invalid: [
    {
      name: 'no read_only: on the service name',
      code: yaml`
        services:
          web:
            image: nginx:1.27
      `,
      findings: [{ range: '2:3-2:6', container: 'web', message: /^Service "web" does not set read_only: true: .* Set read_only: true and mount tmpfs/ }],
    },
    {
      name: 'read_only: false in an anchor: on the anchored value, once per service that merges it',
      code: yaml`
        x-defaults: &defaults
          read_only: false
        services:
          web:
            <<: *defaults
            image: nginx:1.27
          api: {<<: *defaults, image: "registry.example.com/api:2.1.0"}
      `,
      findings: [
        { range: '2:14-2:19', container: 'web', message: /^Service "web" sets read_only: false:/ },
        { range: '2:14-2:19', container: 'api', message: /^Service "api" sets read_only: false:/ },
      ],
    },
    {
      name: 'the service\'s own key wins over the merged one',
      code: yaml`
        x-defaults: &defaults
          read_only: true
        services:
          web:
            <<: *defaults
            read_only: "yes please"
      `,
      findings: [{ range: '6:16-6:28', message: /sets read_only to a value that is not the boolean true/ }],
    },
    {
      name: 'extends within the file: the base\'s value',
      code: yaml`
        services:
          base:
            image: registry.example.com/api:2.1.0
            read_only: false
          api:
            extends: base
          worker:
            extends: {service: base}
            read_only: true
      `,
      findings: [{ range: '4:16-4:21', container: 'base' }, { range: '4:16-4:21', container: 'api' }],
    },
    {
      name: 'a value a service of another file\'s extension sets itself is still checked',
      code: yaml`
        services:
          api:
            extends: {file: common.yaml, service: hardened}
            read_only: false
      `,
      findings: [{ range: '4:16-4:21', container: 'api' }],
    },
  ],
});

testRule('writable-paths-unmounted', {
  valid: [
    {
      name: 'nginx with tmpfs at its write paths, as one string and in a list, or a volume',
      code: yaml`
        services:
          a:
            image: nginx:1.27
            read_only: true
            tmpfs: [/var/cache/nginx, "/var/run:size=1m"]
          b:
            image: nginx:1.27
            read_only: true
            tmpfs: /var/run
            volumes:
              - nginx-cache:/var/cache/nginx
          c:
            image: nginx:1.27
      `,
    },
  ],
  invalid: [
    {
      name: 'nginx read-only without tmpfs: on the image, related to read_only',
      code: yaml`
        services:
          web:
            image: nginx:1.27
            read_only: true
            tmpfs:
              - /var/run
      `,
      findings: [{
        range: '3:12-3:22', container: 'web', related: ['4:16-4:20'],
        message: /^Service "web" runs nginx with a read-only root filesystem, but no tmpfs or volume is mounted where it writes: \/var\/cache\/nginx \(/,
      }],
    },
  ],
});

testRule('run-as-root', {
  valid: [
    {
      name: 'a non-root user, a variable, an image that names its user',
      code: yaml`
        services:
          a: {image: "registry.example.com/api:2.1.0", user: "1000:1000"}
          b: {image: "registry.example.com/api:2.1.0", user: "\${UID}:\${GID}"}
          c: {image: "prom/prometheus:v2.53.0"}
          d: {image: "registry.example.com/api:2.1.0", user: app}
      `,
    },
  ],
  invalid: [
    {
      name: 'no user, user root, user 0, group 0',
      code: yaml`
        services:
          a:
            image: nginx:1.27
          b:
            image: registry.example.com/api:2.1.0
            user: root
          c: {image: "registry.example.com/api:2.1.0", user: 0}
          d: {image: "registry.example.com/api:2.1.0", user: "1000:0"}
      `,
      findings: [
        { range: '2:3-2:4', container: 'a', message: /^Service "a" does not set user: .* nginx:1\.27 runs as root \(no USER in its Dockerfile\)/ },
        { range: '6:11-6:15', container: 'b', message: /^Service "b" sets user: root: it runs as root: / },
        { range: '7:54-7:55', container: 'c', message: /^Service "c" sets user: 0: it runs as root/ },
        { range: '8:54-8:62', container: 'd', message: /^Service "d" sets user: 1000:0: its processes get the root group/ },
      ],
    },
  ],
});

testRule('privilege-escalation', {
  valid: [
    {
      name: 'no-new-privileges in its three spellings, from the service or its base',
      code: yaml`
        services:
          a: {image: "registry.example.com/api:2.1.0", security_opt: ["no-new-privileges:true"]}
          b: {image: "registry.example.com/api:2.1.0", security_opt: [no-new-privileges]}
          c: {image: "registry.example.com/api:2.1.0", security_opt: ["no-new-privileges=true"]}
          d: {extends: a, security_opt: ["label:disable"]}
          e: {image: "registry.example.com/api:2.1.0", security_opt: ["\${SECURITY_OPT}"]}
      `,
    },
  ],
  invalid: [
    {
      name: 'missing: on security_opt when it is there, else on the service; false: on the entry in the anchor',
      code: yaml`
        x-common: &common
          security_opt:
            - no-new-privileges:false
        services:
          a:
            image: registry.example.com/api:2.1.0
          b:
            image: registry.example.com/api:2.1.0
            security_opt: [apparmor=docker-default]
          c:
            <<: *common
            image: registry.example.com/api:2.1.0
      `,
      findings: [
        { range: '3:7-3:30', container: 'c', message: /^Service "c" sets no-new-privileges:false in security_opt: / },
        { range: '5:3-5:4', container: 'a', message: /^Service "a" does not set no-new-privileges:true in security_opt, and Docker lets processes gain privileges by default/ },
        { range: '9:5-9:17', container: 'b' },
      ],
    },
  ],
});

testRule('capabilities', {
  valid: [
    {
      name: 'cap_drop: [ALL] with NET_BIND_SERVICE added back, lower case and CAP_ names',
      code: yaml`
        services:
          a: {image: "registry.example.com/api:2.1.0", cap_drop: [ALL], cap_add: [NET_BIND_SERVICE]}
          b: {image: "registry.example.com/api:2.1.0", cap_drop: [all], cap_add: [cap_net_bind_service]}
      `,
    },
  ],
  invalid: [
    {
      name: 'added capabilities and no cap_drop: ALL, through extends',
      code: yaml`
        services:
          base:
            image: registry.example.com/api:2.1.0
            cap_drop: [ALL]
            cap_add:
              - SYS_ADMIN
          child:
            extends: base
            cap_add: [NET_ADMIN]
          partial:
            image: registry.example.com/api:2.1.0
            cap_drop: [NET_RAW]
      `,
      findings: [
        { range: '6:9-6:18', container: 'base', message: /^Service "base" adds the capability SYS_ADMIN: .* Remove it from cap_add/ },
        { range: '6:9-6:18', container: 'child' },
        { range: '9:15-9:24', container: 'child', message: /^Service "child" adds the capability NET_ADMIN/ },
        { range: '12:5-12:13', container: 'partial', message: /^Service "partial" does not drop ALL capabilities, so it keeps the default capabilities AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT: with CHOWN or DAC_OVERRIDE or FOWNER/ },
      ],
    },
    {
      name: 'nginx switches user: the note says so',
      code: yaml`
        services:
          web:
            image: nginx:1.27
      `,
      findings: [{ range: '2:3-2:6', message: /so it keeps the runtime's defaults: .* nginx:1\.27 starts as root and switches user, which needs SETUID and SETGID/ }],
    },
  ],
});

testRule('privileged-container', {
  valid: [{ name: 'privileged: false', code: yaml`
    services:
      a: {image: "registry.example.com/api:2.1.0", privileged: false}
  ` }],
  invalid: [
    {
      name: 'privileged: true, an error, in the service and in an anchor',
      code: yaml`
        x-priv: &priv
          privileged: true
        services:
          a:
            image: registry.example.com/api:2.1.0
            privileged: true
          b:
            <<: *priv
            image: registry.example.com/api:2.1.0
      `,
      findings: [
        { range: '2:15-2:19', container: 'b', severity: 'error' },
        { range: '6:17-6:21', container: 'a', severity: 'error', message: /^Service "a" runs privileged: .* Remove privileged: true/ },
      ],
    },
  ],
});

testRule('mutable-image-reference', {
  valid: [
    {
      name: 'a digest, a variable, a build without an image',
      code: yaml`
        services:
          a: {image: "nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000"}
          b: {image: "nginx:\${NGINX_TAG}"}
          c: {build: .}
      `,
    },
  ],
  invalid: [
    {
      name: 'latest, no tag, a tag only (a hint)',
      code: yaml`
        services:
          a:
            image: nginx:latest
          b:
            image: "redis"
          c:
            image: postgres:16.4
      `,
      findings: [
        { range: '3:17-3:24', container: 'a', message: /^Service "a" uses the image nginx with the tag latest: latest moves with every push/ },
        { range: '5:13-5:18', container: 'b', message: /^Service "b" uses the image redis without a tag, which means latest/ },
        { range: '7:20-7:25', container: 'c', severity: 'hint', message: /^Service "c" pins postgres by the tag 16\.4 only/ },
      ],
    },
  ],
});

testRule('writable-host-path', {
  valid: [
    {
      name: 'read-only bind mounts, named volumes, tmpfs, a source from a variable',
      code: yaml`
        services:
          a:
            image: registry.example.com/api:2.1.0
            volumes:
              - ./config:/etc/app:ro
              - /srv/certs:/certs:ro,z
              - data:/var/lib/app
              - /var/cache/app
              - \${DATA_SOURCE}:/data
              - ./logs:/logs:\${LOG_MODE}
              - {type: bind, source: ./static, target: /static, read_only: true}
              - {type: volume, source: data, target: /data2}
              - {type: tmpfs, target: /tmp}
      `,
    },
  ],
  invalid: [
    {
      name: 'read-write bind mounts in short and long syntax; the Docker socket, read-only or not, is an error',
      code: yaml`
        x-logs: &logs
          volumes:
            - ./logs:/var/log/app:rw
        services:
          a:
            image: registry.example.com/api:2.1.0
            volumes:
              - ./data:/data
              - type: bind
                source: /srv/uploads
                target: /uploads
              - /var/run/docker.sock:/var/run/docker.sock:ro
              - \${PWD}/cache:/cache
          b:
            <<: *logs
            image: registry.example.com/api:2.1.0
      `,
      findings: [
        { range: '3:7-3:29', container: 'b', message: /^Service "b" bind-mounts \.\/logs from the host read-write at \/var\/log\/app/ },
        { range: '8:9-8:21', container: 'a', severity: 'warning' },
        { range: '10:17-10:29', container: 'a', message: /bind-mounts \/srv\/uploads from the host read-write at \/uploads/ },
        { range: '12:9-12:53', container: 'a', severity: 'error', message: /^Service "a" mounts the Docker socket \(\/var\/run\/docker\.sock\): / },
        { range: '13:9-13:28', container: 'a' },
      ],
    },
  ],
});

testRule('chmod-immutability-hack', {
  valid: [
    {
      name: 'chmod of a mounted path, or not removing write',
      code: yaml`
        services:
          a:
            image: registry.example.com/api:2.1.0
            command: sh -c "chmod -R a-w /srv/static && exec app"
            volumes: [static:/srv/static]
          b:
            image: registry.example.com/api:2.1.0
            entrypoint: ["sh", "-c", "chmod -R u+w /app && exec app"]
      `,
    },
  ],
  invalid: [
    {
      name: 'in command (string and exec form), entrypoint and healthcheck.test',
      code: yaml`
        services:
          a:
            image: nginx:1.27
            command: sh -c "chmod -R a-w / && exec nginx -g 'daemon off;'"
          b:
            image: registry.example.com/api:2.1.0
            entrypoint: ["chmod", "-R", "a-w", "/app"]
          c:
            image: registry.example.com/api:2.1.0
            healthcheck:
              test: ["CMD-SHELL", "chmod -R go-w,u-w /etc && curl -f http://localhost/"]
      `,
      findings: [
        { range: '4:14-4:67', container: 'a', message: /^Service "a" runs `chmod -R a-w \/` in its command to make its filesystem read-only: .* Set read_only: true instead/ },
        { range: '7:18-7:46', container: 'b', message: /in its entrypoint/ },
        { range: '11:27-11:80', container: 'c', message: /runs `chmod -R go-w,u-w \/etc` in its healthcheck/ },
      ],
    },
  ],
});
