// A worker thread of the CLI (see cliPool.ts): lints the batches of files it is sent, one file at a time, and
// sends back each batch's reports as the text they print. It runs the CLI's own bundle (cliMain.ts starts it here),
// so that the package ships the engine once.
import { parentPort, workerData } from 'node:worker_threads';
import { AnalyzeOptions } from './engine';
import { reportFormat } from './cliOutput';
import { outcomeOf } from './cliPool';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './cliPool';

export function serveWorker(): void {
  const { format, version, informationUri } = workerData as WorkerSetup;
  const output = reportFormat(format, version, informationUri);
  const optionsById = new Map<number, AnalyzeOptions>();
  parentPort!.on('message', ({ batch, files, options }: WorkerRequest) => {
    for (const [id, known] of options) optionsById.set(id, known);
    const outcomes = files.map(({ task, optionsId }) => outcomeOf({ ...task, options: optionsById.get(optionsId)! }, output));
    parentPort!.postMessage({ batch, outcomes } satisfies WorkerReply);
  });
}
