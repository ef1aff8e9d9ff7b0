// The layer lint: checks every import in src/ and web/src/ against DESIGN.md's layer table.
// Run: npx tsx scripts/lint-layers.ts [ROOT]   (exit 1 and one line per violation on failure)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { checkImport } from './layer-rules.js';

const ROOTS = ['src', 'web/src'];
const SKIP = new Set(['node_modules', 'dist']);
const SOURCE = /\.[cm]?tsx?$/;

/** Source files under `dir` (repo-relative, posix), skipping node_modules and dist. */
function walk(root: string, dir: string, out: string[]): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return out; // web/src may not exist yet
  }
  for (const e of entries) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) walk(root, rel, out);
    } else if (e.isFile() && SOURCE.test(e.name)) {
      out.push(rel);
    }
  }
  return out;
}

/** Every import / export-from / dynamic import / require specifier, with its 1-based line. */
export function importsOf(text: string): { specifier: string; line: number }[] {
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines.push(i);
  const lineAt = (pos: number) => {
    let lo = 0;
    let hi = newlines.length; // count of newlines before pos = line index
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => ({ specifier: f.fileName, line: lineAt(f.pos) }));
}

export interface LintResult {
  files: number;
  violations: string[];
}

export function lintLayers(root: string): LintResult {
  const files = ROOTS.flatMap((r) => walk(root, r, [])).sort();
  const violations: string[] = [];
  for (const file of files) {
    for (const { specifier, line } of importsOf(readFileSync(path.join(root, file), 'utf8'))) {
      const problem = checkImport(file, specifier);
      if (problem) violations.push(`${file}:${line}: ${problem}`);
    }
  }
  return { files: files.length, violations };
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const { files, violations } = lintLayers(root);
  for (const v of violations) console.error(v);
  if (violations.length > 0) {
    console.error(`layers: ${files} files checked, ${violations.length} violation${violations.length === 1 ? '' : 's'}`);
    process.exitCode = 1;
    return;
  }
  console.log(`layers: ${files} files checked, 0 violations`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
