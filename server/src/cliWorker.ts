// A worker thread of the CLI (see cliPool.ts): works the batches of files it is sent, one file at a time, and sends
// back each batch's outcomes: for the first pass, each file's text and Namespaces; for linting, the text each
// report prints. It runs the CLI's own bundle (cliMain.ts starts it here), so that the package ships the engine once.
import { parentPort, workerData } from 'node:worker_threads';
import { AnalyzeOptions } from './engine';
import { reportFormat } from './cliOutput';
import { firstPassOutcomeOf, outcomeOf } from './cliPool';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './cliPool';

export function serveWorker(): void {
  const { format, version, informationUri, maxFileSize } = workerData as WorkerSetup;
  const output = reportFormat(format, version, informationUri);
  const optionsById = new Map<number, AnalyzeOptions>();
  parentPort!.on('message', (request: WorkerRequest) => {
    const { run, batch } = request;
    if (request.kind === 'read') {
      parentPort!.postMessage({ run, batch, outcomes: request.files.map(file => firstPassOutcomeOf(file, maxFileSize)) } satisfies WorkerReply);
      return;
    }
    for (const [id, known] of request.options) optionsById.set(id, known);
    const outcomes = request.files.map(({ task, optionsId }) => outcomeOf({ ...task, options: optionsById.get(optionsId)! }, output));
    parentPort!.postMessage({ run, batch, outcomes } satisfies WorkerReply);
  });
  parentPort!.postMessage({ ready: true } satisfies WorkerReply);
}
