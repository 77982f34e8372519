// One render of a kustomization under a mounted folder, as `kube-immutable render` would do it; prints what it made.
import { buildKustomization, printBuild } from '../../server/src/sources/kustomize';
import { mountedFileSystem } from '../kustomize-conformance/diskFileSystem';

const [folder, dir] = process.argv.slice(2);
const started = process.hrtime.bigint();
const build = buildKustomization(dir, mountedFileSystem(folder));
const output = printBuild(build);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage();
// The last field is the CPU time of the whole process (start and load included), which a busy machine inflates
// far less than the wall time.
console.log(`${build.documents.length} objects, ${output.length} characters, ${build.filesRead.length} files read, build ${ms.toFixed(0)} ms, process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
