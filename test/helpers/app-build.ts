import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Set by `scripts/test.ts`: a folder holding `src/` compiled to JavaScript once for the run (by esbuild,
 * the compiler tsx runs per process). Tests that start the app or a CLI as a process run that, which
 * spares each process tsx's start and compiling (about half a second of CPU); without it they use tsx.
 */
export const APP_BUILD_ENV = 'TEST_APP_BUILD';

/**
 * The node arguments that run a source file (e.g. `src/main.ts`, relative to the repository) in its own
 * process: its compiled copy when the run has one, else the source through tsx.
 */
export function nodeArgsToRun(sourceFile: string): string[] {
  const build = process.env[APP_BUILD_ENV];
  if (build && sourceFile.startsWith('src/')) return [join(build, sourceFile.replace(/\.ts$/, '.js'))];
  return ['--import', import.meta.resolve('tsx'), join(process.cwd(), sourceFile)];
}

/**
 * Compiles every `src/**\/*.ts` of the repository at `root` into `outdir` (which must sit inside the
 * repository, so that the compiled code finds node_modules and prisma/ above it), as tsx would. False
 * when esbuild (installed with tsx) cannot be loaded: the tests then start processes through tsx.
 */
export async function buildApp(root: string, outdir: string): Promise<boolean> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return false;
  }
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
    });
  await esbuild.build({
    entryPoints: sources(join(root, 'src')),
    outdir: join(outdir, 'src'),
    outbase: join(root, 'src'),
    absWorkingDir: root,
    tsconfig: join(root, 'tsconfig.json'),
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return true;
}
