// Builds dist/: the CLI and the trace-writer worker bundled with their dependencies into ES modules, with
// lazily imported parts (OpenTelemetry SDK, pg, the tokenizer) split into chunks loaded on first use.
// One flat folder, so the worker is found next to the code that starts it (src/traces/threaded-sink.ts).
// Bundling loads ~20 files instead of ~650 modules: ~15 MiB less idle RSS and a faster start.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build, transform } from 'esbuild';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const { outputFiles } = await build({
  entryPoints: ['src/cli/main.ts', 'src/traces/threaded-sink-worker.ts'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  // CommonJS dependencies call require(); an ES module has none of its own
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  // optional native bindings some drivers try first; absent here, as in any plain install
  external: ['pg-native'],
  logLevel: 'warning',
  write: false,
});

const stripComments = { format: 'esm', minifyWhitespace: true, legalComments: 'none', charset: 'ascii' };
mkdirSync(new URL('../dist', import.meta.url));
for (const file of outputFiles) writeFileSync(file.path, await asciiOnly(file.text, file.path));

/**
 * V8 keeps every module's source text in the heap, one byte per character only when all of it is Latin-1:
 * a single "→" in a dependency's comment doubled a 2.5 MB chunk to 4.9 MiB. esbuild escapes non-ASCII
 * characters in code but keeps them in comments, so those are written as \u{…} here; the check proves
 * that only comments changed.
 */
async function asciiOnly(text, path) {
  const escaped = text.replace(/[^ -~\t\n\r]/gu, (char) => `\\u{${char.codePointAt(0).toString(16)}}`);
  if (escaped === text) return text;
  const [before, after] = await Promise.all(
    [text, escaped].map(async (source) => (await transform(source, stripComments)).code),
  );
  if (before !== after) throw new Error(`${path}: non-ASCII characters outside comments`);
  return escaped;
}
