// The CLI's bundle (dist/cliMain.js), which dist/cli.js runs (cliLoader.ts), also in the CLI's worker threads. It
// loads only the modules a command needs: `kube-immutable render` of a chart runs in a fresh process, where loading
// the linter too would cost a good part of its time (`npm run bench:helm`).
import { isMainThread } from 'node:worker_threads';

if (!isMainThread) void import('./cliWorker').then(({ serveWorker }) => serveWorker());
else if (require.main === module) {
  // A reader that stops reading (`kube-immutable . | head`) ends the command as SIGPIPE ends other tools, with status
  // 141 and nothing more said; Node ignores SIGPIPE, and the failed write would otherwise be an unhandled error.
  process.stdout.on('error', error => {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') process.stderr.write(`kube-immutable: cannot write the output: ${error.message}\n`);
    process.exit((error as NodeJS.ErrnoException).code === 'EPIPE' ? 141 : 2);
  });
  const argv = process.argv.slice(2);
  const run = argv[0] === 'render' ? import('./cliRender').then(({ renderMain }) => renderMain(argv.slice(1))) : import('./cli').then(({ main }) => main(argv));
  run.then(status => { process.exitCode = status; }, error => {
    process.stderr.write(`kube-immutable: internal error: ${(error as Error).message}\n`);
    process.exitCode = 2;
  });
}
