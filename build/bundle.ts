// `npm run build`'s last step: bundles the compiled app (each dist/functions/ capability, and
// index.js, package.json `main`) and the local host's CLI into dist/bundle/, so a cold process
// reads a few files instead of resolving, reading and compiling some 800 modules one by one,
// which is most of a cold start (README "Cold start"). Run after tsc: node dist/build/bundle.js.
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** This build's dist/ (the script runs as dist/build/bundle.js). */
const builtDist = fileURLToPath(new URL('..', import.meta.url));

/**
 * Left to Node: the native onnxruntime binding; the module the Functions worker provides;
 * and the telemetry distro and instrumentation, loaded only when Application Insights is set,
 * which patch modules as Node loads them.
 */
const external = [
  'onnxruntime-node',
  '@azure/functions-core',
  '@azure/monitor-opentelemetry',
  '@azure/functions-opentelemetry-instrumentation',
  '@opentelemetry/*',
];

/**
 * Each bundled module keeps its own `import.meta.url`, the one of its compiled file under
 * dist/, so code that finds files beside itself (package.json, the console's assets, the
 * trainer CLI) finds them bundled or not. Every output file sits in dist/bundle/ itself
 * (no subfolders), so one relative URL is right from whichever file the module lands in.
 */
const ownModuleUrl = (dist: string, bundleDir: string): Plugin => ({
  name: 'own-module-url',
  setup(builder) {
    builder.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      if (relative(dist, path).startsWith('..')) return undefined;
      const source = await readFile(path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const url = `new URL(${JSON.stringify(relative(bundleDir, path))}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js', resolveDir: dirname(path) };
    });
  },
});

/**
 * zod's namespace re-exports every locale (half its size), which no bundler can shake off; the
 * app sets none and uses English messages, so the locales namespace holds `en` alone.
 */
const englishOnly: Plugin = {
  name: 'zod-english-only',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, ({ importer, resolveDir }) =>
      importer.includes('/node_modules/zod/') ? { path: resolveDir, namespace: 'zod-locales' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'zod-locales' }, ({ path }) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: path,
    }));
  },
};

/** Bundles `dist`'s functions/*.js and local/host-cli.js into `dist`/bundle/. */
export async function bundle(dist = builtDist): Promise<void> {
  const bundleDir = join(dist, 'bundle');
  const functions = join(dist, 'functions');
  const capabilities = (await readdir(functions)).filter((file) => file.endsWith('.js'));
  await rm(bundleDir, { recursive: true, force: true });
  await build({
    entryPoints: [...capabilities.map((file) => join(functions, file)), join(dist, 'local', 'host-cli.js')],
    outdir: bundleDir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    // Shared chunks: the host and the app it loads share one copy of what they both import
    // (as they share dist/ modules unbundled), and dynamic imports stay lazy.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    plugins: [ownModuleUrl(dist, bundleDir), englishOnly],
    // The CommonJS packages inside (@azure/functions, durable-functions, ...) call require.
    banner: {
      js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
