// A worker thread of the CLI (see cliPool.ts): lints the files it is sent, one at a time, and sends each report back.
// It runs the CLI's own bundle (cli.ts starts it here), so that the package ships the engine once.
import { parentPort } from 'node:worker_threads';
import { AnalyzeOptions } from './engine';
import { IoError, lintFile } from './cliLintFile';
import type { WorkerReply, WorkerRequest } from './cliPool';

const optionsById = new Map<number, AnalyzeOptions>();

export function serveWorker(): void {
  parentPort!.on('message', ({ index, task, optionsId, options }: WorkerRequest) => {
    if (options) optionsById.set(optionsId, options);
    let reply: WorkerReply;
    try { reply = { index, report: lintFile({ ...task, options: optionsById.get(optionsId)! }) }; }
    catch (error) { reply = { index, error: (error as Error).message, io: error instanceof IoError }; }
    parentPort!.postMessage(reply);
  });
}
