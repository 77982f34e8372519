// The first syntax error a user types, answered at the speed of the later ones. Plain manifests are composed
// without `yaml`'s general parser (engine/plainBlockYaml.ts), so in a fresh server that parser has often not run
// at all when the first broken text comes, and V8 runs it cold: in argo-cd's 34,000-line install manifest, the
// first edits that broke a Deployment took 50-90 ms from didChange to the diagnostics, against 6-10 ms once the
// parser had run a hundred times. So once the server has a first document to analyse and then has nothing to do
// for a while, it parses a few sample documents that need that parser, broken ones included, in short turns.
// It waits for a quiet moment because on a busy machine its parses, and V8 compiling what they run, slow down
// what the user is waiting for: run beside the first analyses, they made code actions and edits slower.
import { parseChunk } from '../engine';
import { afterWaitingRequests } from './turns';

/** A Deployment in what plain YAML leaves out (anchors, folded and multi-line scalars, escapes, tags, comments). */
const SAMPLE = `# a sample
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "web\\u0041"
  labels: &labels {app: web, tier: 'front end'}
  annotations:
    note: >-
      folded
      text
spec:
  replicas: !!int 3
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - name: web # the server
        image: nginx:1.27
        args: ["--port",
          "8080"]
        command:
        - sh
        - -c
        - |
          echo started
          exec nginx
        ports:
        - containerPort: 8080
          protocol: TCP
        securityContext:
          readOnlyRootFilesystem: true
          runAsNonRoot: true
        env:
        - name: A
          value: a plain
            multi-line scalar
        resources: &resources
          limits: {cpu: 100m, memory: 64Mi}
      - name: sidecar
        image: busybox
        resources: *resources
`;

/** The sample and the same with the syntax errors people type: unclosed brackets and quotes, a stray indentation, a tab. */
export const WARM_UP_SAMPLES = [
  SAMPLE,
  SAMPLE.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: [true'),
  SAMPLE.replace('limits: {cpu', 'limits: {{cpu'),
  SAMPLE.replace('protocol: TCP', '  protocol: TCP'),
  SAMPLE.replace("'front end'", "'front end"),
  SAMPLE.replace('        image: busybox', '\timage: busybox'),
];

/** How many parses: 150 KB of YAML, about 300 ms of one core in a fresh server. */
const PARSES = 120;
/** How long a turn of parses lasts at most: a message or a keystroke that comes meanwhile waits for it. */
const SLICE_MS = 2;
/** How long the analyses must have been quiet before the parses go on. */
export const QUIET_MS = 500;

export interface WarmUp {
  parses?: number;
  parse?: (text: string) => unknown;
  /** How long no analysis has run or been due, in ms. */
  quietFor?: () => number;
  /** Called once the last parse is done. */
  finished?: () => void;
}

/** Parses the samples in turns while the server is quiet; returns what stops it. */
export function warmUpParser({ parses = PARSES, parse = parseChunk, quietFor = () => Infinity, finished }: WarmUp = {}): () => void {
  let done = 0;
  let cancel: () => void;
  const slice = (): void => {
    const wait = QUIET_MS - quietFor();
    if (wait > 0) {
      const timer = setTimeout(slice, wait);
      cancel = () => clearTimeout(timer);
      return;
    }
    const deadline = performance.now() + SLICE_MS;
    while (done < parses && performance.now() < deadline) parse(WARM_UP_SAMPLES[done++ % WARM_UP_SAMPLES.length]);
    if (done < parses) cancel = afterWaitingRequests(slice);
    else finished?.();
  };
  cancel = afterWaitingRequests(slice);
  return () => cancel();
}
