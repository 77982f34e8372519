// Generated inputs for the benchmark: a long stream of Deployments and a tree of small manifests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A 34-line Deployment; every third one has a writable root filesystem. */
export function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 7}
  labels:
    app.kubernetes.io/name: app-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${i}
    spec:
      containers:
      - name: app
        image: registry.example.com/team-${i % 7}/app-${i}:1.${i % 10}.0
        ports:
        - containerPort: 8080
        resources:
          limits: {cpu: 500m, memory: 256Mi}
        securityContext:
          readOnlyRootFilesystem: ${i % 3 === 0 ? 'false' : 'true'}
          allowPrivilegeEscalation: false
        volumeMounts:
        - name: tmp
          mountPath: /tmp
      volumes:
      - name: tmp
        emptyDir: {}
`;
}

export function deploymentStream(count: number): string {
  return Array.from({ length: count }, (_, i) => deployment(i)).join('---\n');
}

const OTHER_KINDS: ((i: number) => string)[] = [
  i => `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector:
    app.kubernetes.io/name: app-${i}
  ports:
  - port: 80
    targetPort: 8080
`,
  i => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
data:
  LOG_LEVEL: info
  config.yaml: |
    listen: :8080
    upstream: http://backend-${i}:9000
`,
  i => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup-${i}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: alpine:3.20
            command: ["sh", "-c", "chmod -R a-w / ; tar czf /backup/db.tgz /data"]
`,
  i => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader-${i}
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get", "list", "watch"]
`,
];

/** Writes `count` manifest files in folders of 100; returns their total size in bytes. */
export function writeManifestTree(root: string, count: number): number {
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const dir = join(root, `team-${Math.floor(i / 100)}`);
    mkdirSync(dir, { recursive: true });
    // Half of the files are Deployments, the rest cycle through the other kinds, one document per file.
    const text = i % 2 === 0 ? deployment(i) : OTHER_KINDS[(i >> 1) % OTHER_KINDS.length](i);
    writeFileSync(join(dir, `manifest-${i}.yaml`), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}
