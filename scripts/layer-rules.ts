// The layer table of DESIGN.md as data, and the pure check of one import against it.
import { builtinModules } from 'node:module';
import path from 'node:path';

export type Layer =
  | 'domain'
  | 'stats'
  | 'ml'
  | 'storage'
  | 'services'
  | 'contracts'
  | 'platform'
  | 'server'
  | 'client'
  | 'cli'
  | 'web';

/** Importer layer → the layers of ours it may import (its own layer is always allowed). */
export const ALLOWED: Readonly<Record<Layer, readonly Layer[]>> = {
  domain: [],
  stats: ['domain'],
  ml: ['domain', 'stats'],
  storage: ['domain'],
  services: ['domain', 'stats', 'ml'],
  contracts: ['domain'],
  platform: ['domain', 'storage', 'services'],
  server: ['domain', 'platform', 'services', 'contracts'],
  client: ['domain', 'contracts'],
  cli: ['domain', 'client', 'contracts', 'platform', 'server'],
  web: ['domain', 'contracts', 'client'],
};

/** Layers that the web UI bundles: no `node:*` and no Node builtins. */
export const NO_NODE: ReadonlySet<Layer> = new Set<Layer>(['domain', 'contracts']);

/** Top-level folders whose files may import anything. */
export const FREE_FOLDERS = ['test', 'bench', 'scripts', 'examples'] as const;

const SRC_LAYERS = new Set<string>(['domain', 'stats', 'ml', 'storage', 'services', 'contracts', 'server', 'client', 'cli']);

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** Where a file sits: a layer, a free folder, or neither. Paths are relative to the project root. */
export type Place = { kind: 'layer'; layer: Layer } | { kind: 'free'; folder: string } | { kind: 'other'; path: string };

/** Repo-relative posix path, without `./`, for a path given with either separator. */
function normalize(file: string): string {
  return path.posix.normalize(file.replaceAll('\\', '/')).replace(/^\.\//, '');
}

/**
 * The place of a repo-relative path (a file, or a folder a specifier names).
 * @example placeOf('src/services/runs/runs.service.ts') // { kind: 'layer', layer: 'services' }
 */
export function placeOf(file: string): Place {
  const p = normalize(file);
  const parts = p.split('/');
  if (parts[0] === 'src') {
    if (/^platform(\..+)?$/.test(parts[1] ?? '')) return { kind: 'layer', layer: 'platform' };
    if (SRC_LAYERS.has(parts[1] ?? '')) return { kind: 'layer', layer: parts[1] as Layer };
  }
  if (parts[0] === 'web') return { kind: 'layer', layer: 'web' };
  if ((FREE_FOLDERS as readonly string[]).includes(parts[0])) return { kind: 'free', folder: parts[0] };
  return { kind: 'other', path: p };
}

/** True for `node:*` and bare Node builtins (`fs`, `fs/promises`, ...). */
export function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);
}

export function isTestFile(file: string): boolean {
  return /\.test\.[cm]?tsx?$/.test(file);
}

/**
 * Check one import. `fromFile` is relative to the project root (e.g. `src/domain/ids.ts`);
 * returns a message when the import breaks the layer table, otherwise null.
 * @example checkImport('src/domain/ids.ts', '../storage/x.js')
 *          // "layer 'domain' may not import 'storage' (../storage/x.js)"
 */
export function checkImport(fromFile: string, specifier: string): string | null {
  const from = placeOf(fromFile);
  if (from.kind === 'free') return null;
  if (from.kind === 'other') return `'${normalize(fromFile)}' is in no layer of DESIGN.md (${specifier})`;
  const layer = from.layer;
  const deny = (what: string) => `layer '${layer}' may not import '${what}' (${specifier})`;

  if (specifier.startsWith('.')) {
    const target = path.posix.join(path.posix.dirname(normalize(fromFile)), specifier);
    const to = placeOf(target);
    if (to.kind === 'layer') {
      return to.layer === layer || ALLOWED[layer].includes(to.layer) ? null : deny(to.layer);
    }
    if (to.kind === 'free') return to.folder === 'test' && isTestFile(fromFile) ? null : deny(to.folder);
    return deny(to.path);
  }
  // Absolute paths, file: URLs and package `#imports` would dodge the table: forbid them outright.
  if (specifier.startsWith('/') || specifier.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) {
    if (isNodeBuiltin(specifier)) return NO_NODE.has(layer) ? deny('node') : null;
    return deny(specifier);
  }
  if (isNodeBuiltin(specifier)) return NO_NODE.has(layer) ? deny('node') : null;
  return null; // a package from node_modules
}
