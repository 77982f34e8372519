import * as assert from 'node:assert/strict';
import { yaml } from '../../helpers';
import { fixTitles, testFixes } from './fixTable';

const ELASTICSEARCH = yaml`
  apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: search}
  spec:
    template:
      spec:
        containers:
          - name: es
            image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
            securityContext:
              runAsUser: 1000
              readOnlyRootFilesystem: true
            volumeMounts:
              - name: data
                mountPath: /usr/share/elasticsearch/data
`;

testFixes('writable-paths-unmounted', [
  {
    name: 'mounts one emptyDir per missing path, creating volumes: in the pod spec',
    code: ELASTICSEARCH,
    output: yaml`
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: search}
      spec:
        template:
          spec:
            containers:
              - name: es
                image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
                securityContext:
                  runAsUser: 1000
                  readOnlyRootFilesystem: true
                volumeMounts:
                  - name: data
                    mountPath: /usr/share/elasticsearch/data
                  - name: usr-share-elasticsearch-config
                    mountPath: /usr/share/elasticsearch/config
                  - name: usr-share-elasticsearch-logs
                    mountPath: /usr/share/elasticsearch/logs
            volumes:
              - name: usr-share-elasticsearch-config
                emptyDir: {}
              - name: usr-share-elasticsearch-logs
                emptyDir: {}
    `,
  },
  {
    name: 'fills one emptyDir with what the image ships there by an init container running as the same user',
    title: /the one at \/usr\/share\/elasticsearch\/config filled/,
    code: ELASTICSEARCH,
    output: yaml`
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: search}
      spec:
        template:
          spec:
            containers:
              - name: es
                image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
                securityContext:
                  runAsUser: 1000
                  readOnlyRootFilesystem: true
                volumeMounts:
                  - name: data
                    mountPath: /usr/share/elasticsearch/data
                  - name: usr-share-elasticsearch-config
                    mountPath: /usr/share/elasticsearch/config
                  - name: usr-share-elasticsearch-logs
                    mountPath: /usr/share/elasticsearch/logs
            initContainers:
              - name: prepare-usr-share-elasticsearch-config
                image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
                command: ["cp", "-a", "/usr/share/elasticsearch/config/.", "/prepared/"]
                securityContext:
                  runAsUser: 1000
                  readOnlyRootFilesystem: true
                  allowPrivilegeEscalation: false
                  capabilities:
                    drop: [ALL]
                volumeMounts:
                  - name: usr-share-elasticsearch-config
                    mountPath: /prepared
            volumes:
              - name: usr-share-elasticsearch-config
                emptyDir: {}
              - name: usr-share-elasticsearch-logs
                emptyDir: {}
    `,
  },
  {
    name: 'appends to existing volumes: and initContainers: lists (flush sequences), never reusing a name',
    title: /init container/,
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        initContainers:
        - name: prepare-tmp
          image: busybox:1.36
        containers:
        - name: web
          image: nginxinc/nginx-unprivileged:1.27
          securityContext: {readOnlyRootFilesystem: true}
        volumes:
        - name: tmp
          configMap: {name: x}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        initContainers:
        - name: prepare-tmp
          image: busybox:1.36
        - name: prepare-tmp-2
          image: nginxinc/nginx-unprivileged:1.27
          command: ["cp", "-a", "/tmp/.", "/prepared/"]
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
          volumeMounts:
          - name: tmp-2
            mountPath: /prepared
        containers:
        - name: web
          image: nginxinc/nginx-unprivileged:1.27
          securityContext: {readOnlyRootFilesystem: true}
          volumeMounts:
          - name: tmp-2
            mountPath: /tmp
        volumes:
        - name: tmp
          configMap: {name: x}
        - name: tmp-2
          emptyDir: {}
    `,
  },
]);

describe('writable-paths-unmounted fix titles', () => {
  it('prefers emptyDir volumes for all missing paths, with one filled by an init container as alternatives', () => {
    assert.deepEqual(fixTitles('writable-paths-unmounted', ELASTICSEARCH), [
      '* Mount emptyDir volumes at /usr/share/elasticsearch/config, /usr/share/elasticsearch/logs',
      'Mount emptyDir volumes at /usr/share/elasticsearch/config, /usr/share/elasticsearch/logs, the one at /usr/share/elasticsearch/config filled by an init container with the image\'s files there',
      'Mount emptyDir volumes at /usr/share/elasticsearch/config, /usr/share/elasticsearch/logs, the one at /usr/share/elasticsearch/logs filled by an init container with the image\'s files there',
    ]);
  });
});
