/**
 * Runs a benchmark on the code as it ships: the benchmark and the service are bundled by esbuild
 * (as scripts/build.mjs bundles the CLI and the server) and run by plain Node. Running the
 * sources through tsx instead measures tsx: its per-module transform turns every imported
 * constant into a getter call and names every closure at run time, which halves throughput.
 *
 *   node --import tsx bench/run.ts throughput|cli|lsp|receive|peers|pairing [--profile] [benchmark options]
 *
 * `--profile` writes a V8 CPU profile of the benchmark process to bench/data/profiles/.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DATA_DIR, ROOT } from './report';

const BENCHMARKS = ['throughput', 'cli', 'lsp', 'receive', 'hostile', 'peers', 'pairing', 'kernel'];

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || !BENCHMARKS.includes(name)) {
    process.stderr.write(`usage: bench/run.ts ${BENCHMARKS.join('|')} [--profile] [options]\n`);
    return 2;
  }
  const outfile = join(DATA_DIR, 'build', `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // CommonJS dependencies (vscode-jsonrpc) need `require` inside an ES module bundle.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const nodeFlags = ['--expose-gc'];
  const profile = rest.indexOf('--profile');
  if (profile >= 0) {
    rest.splice(profile, 1);
    nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${join(DATA_DIR, 'profiles')}`);
  }
  const result = spawnSync(process.execPath, [...nodeFlags, outfile, ...rest], { stdio: 'inherit', cwd: ROOT });
  return result.status ?? 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
