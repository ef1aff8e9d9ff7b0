// Unit tests of the layer rules and of the lint over a small fixture tree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALLOWED, checkImport, placeOf, type Layer } from './layer-rules.js';
import { importsOf, lintLayers } from './lint-layers.js';

describe('placeOf', () => {
  it.each([
    ['src/domain/ids.ts', 'domain'],
    ['src/storage/artifacts/fs-artifact-store.ts', 'storage'],
    ['src/platform.ts', 'platform'],
    ['src/platform.test.ts', 'platform'],
    ['src/platform/open-stores.ts', 'platform'],
    ['src/platform.js', 'platform'],
    ['web/src/app.tsx', 'web'],
    ['src/server/mlflow/runs.routes.ts', 'server'],
  ])('%s is in layer %s', (file, layer) => {
    expect(placeOf(file)).toEqual({ kind: 'layer', layer });
  });

  it('knows the free folders and the rest', () => {
    expect(placeOf('test/support/databases.ts')).toEqual({ kind: 'free', folder: 'test' });
    expect(placeOf('scripts/lint-layers.ts')).toEqual({ kind: 'free', folder: 'scripts' });
    expect(placeOf('package.json')).toEqual({ kind: 'other', path: 'package.json' });
    expect(placeOf('src/index.ts')).toEqual({ kind: 'other', path: 'src/index.ts' });
  });
});

describe('checkImport', () => {
  it('allows what the table allows', () => {
    expect(checkImport('src/services/runs/runs.service.ts', '../../domain/errors.js')).toBeNull();
    expect(checkImport('src/services/runs/runs.service.ts', '../../stats/drift.js')).toBeNull();
    expect(checkImport('src/ml/trees/tree.ts', '../../stats/metrics.js')).toBeNull();
    expect(checkImport('src/platform.ts', './storage/kysely/connect.js')).toBeNull();
    expect(checkImport('src/platform.ts', './services/index.js')).toBeNull();
    expect(checkImport('src/platform/open.ts', '../storage/artifacts/open-artifact-store.js')).toBeNull();
    expect(checkImport('src/server/app.ts', '../platform.js')).toBeNull();
    expect(checkImport('src/server/app.ts', '../platform/open.js')).toBeNull();
    expect(checkImport('src/cli/main.ts', '../server/app.js')).toBeNull();
    expect(checkImport('src/client/client.ts', '../contracts/index.js')).toBeNull();
    expect(checkImport('web/src/pages/runs.tsx', '../../../src/client/index.js')).toBeNull();
    expect(checkImport('web/src/pages/runs.tsx', '../../../src/domain/index.js')).toBeNull();
  });

  it('forbids what the table does not allow, naming both layers and the specifier', () => {
    expect(checkImport('src/domain/ids.ts', '../storage/kysely/connect.js')).toBe(
      "layer 'domain' may not import 'storage' (../storage/kysely/connect.js)",
    );
    expect(checkImport('src/services/runs/runs.service.ts', '../../storage/kysely/connect.js')).toBe(
      "layer 'services' may not import 'storage' (../../storage/kysely/connect.js)",
    );
    expect(checkImport('src/stats/drift.ts', '../ml/x.js')).toMatch(/layer 'stats' may not import 'ml'/);
    expect(checkImport('src/storage/x.ts', '../services/x.js')).toMatch(/'storage' may not import 'services'/);
    expect(checkImport('src/contracts/x.ts', '../client/x.js')).toMatch(/'contracts' may not import 'client'/);
    expect(checkImport('src/client/x.ts', '../server/x.js')).toMatch(/'client' may not import 'server'/);
    expect(checkImport('src/server/x.ts', '../storage/x.js')).toMatch(/'server' may not import 'storage'/);
    expect(checkImport('src/server/x.ts', '../cli/x.js')).toMatch(/'server' may not import 'cli'/);
    expect(checkImport('src/platform.ts', './server/app.js')).toMatch(/'platform' may not import 'server'/);
    expect(checkImport('web/src/app.tsx', '../../src/platform.js')).toMatch(/'web' may not import 'platform'/);
    expect(checkImport('web/src/app.tsx', '../../src/services/x.js')).toMatch(/'web' may not import 'services'/);
  });

  it('allows every layer its own layer, and the table as written', () => {
    const file: Record<Layer, string> = {
      domain: 'src/domain/a/b.ts', stats: 'src/stats/a/b.ts', ml: 'src/ml/a/b.ts', storage: 'src/storage/a/b.ts',
      services: 'src/services/a/b.ts', contracts: 'src/contracts/a/b.ts', platform: 'src/platform/a/b.ts',
      server: 'src/server/a/b.ts', client: 'src/client/a/b.ts', cli: 'src/cli/a/b.ts', web: 'web/src/a/b.ts',
    };
    const target = (from: Layer, to: Layer) => {
      const dest = to === 'web' ? 'web/src/x.ts' : to === 'platform' ? 'src/platform.ts' : `src/${to}/x.ts`;
      return path.posix.relative(path.posix.dirname(file[from]), dest).replace(/^(?!\.)/, './');
    };
    for (const from of Object.keys(ALLOWED) as Layer[]) {
      for (const to of Object.keys(ALLOWED) as Layer[]) {
        const ok = from === to || ALLOWED[from].includes(to);
        expect(checkImport(file[from], target(from, to)) === null, `${from} → ${to}`).toBe(ok);
      }
    }
    expect(checkImport('src/domain/ports/a.ts', '../errors.js')).toBeNull();
  });

  it('forbids node:* and Node builtins in domain and contracts only', () => {
    for (const spec of ['node:crypto', 'node:fs/promises', 'fs', 'fs/promises', 'crypto', 'path']) {
      expect(checkImport('src/domain/ids.ts', spec)).toBe(`layer 'domain' may not import 'node' (${spec})`);
      expect(checkImport('src/contracts/common.ts', spec)).toMatch(/layer 'contracts' may not import 'node'/);
      expect(checkImport('src/storage/x.ts', spec)).toBeNull();
      expect(checkImport('src/services/x.ts', spec)).toBeNull();
    }
    expect(checkImport('src/domain/ids.test.ts', 'node:crypto')).toMatch(/'domain' may not import 'node'/);
  });

  it('allows packages from node_modules anywhere', () => {
    expect(checkImport('src/domain/ids.ts', 'uuid')).toBeNull();
    expect(checkImport('src/contracts/common.ts', 'zod')).toBeNull();
    expect(checkImport('src/storage/x.ts', '@aws-sdk/client-s3')).toBeNull();
  });

  it('lets test files (only) import test/ support', () => {
    expect(checkImport('src/storage/kysely/x.test.ts', '../../../test/support/databases.js')).toBeNull();
    expect(checkImport('src/storage/kysely/x.ts', '../../../test/support/databases.js')).toBe(
      "layer 'storage' may not import 'test' (../../../test/support/databases.js)",
    );
    expect(checkImport('src/domain/x.test.ts', '../storage/x.js')).toMatch(/'domain' may not import 'storage'/);
    expect(checkImport('src/services/x.test.ts', '../../scripts/x.js')).toMatch(/may not import 'scripts'/);
  });

  it('lets test/, bench/, scripts/ and examples/ import anything', () => {
    for (const file of ['test/e2e/a.test.ts', 'bench/http.ts', 'scripts/x.ts', 'examples/demo/seed.ts']) {
      expect(checkImport(file, '../../src/storage/kysely/connect.js')).toBeNull();
      expect(checkImport(file, 'node:fs')).toBeNull();
    }
  });

  it('forbids files outside any layer and imports that dodge the table', () => {
    expect(checkImport('src/domain/x.ts', '../../package.json')).toBe("layer 'domain' may not import 'package.json' (../../package.json)");
    expect(checkImport('src/services/x.ts', '#internal/x')).toMatch(/may not import '#internal\/x'/);
    expect(checkImport('src/services/x.ts', '/abs/src/storage/x.js')).toMatch(/may not import/);
    expect(checkImport('src/index.ts', './domain/index.js')).toMatch(/in no layer/);
  });
});

describe('lintLayers', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'flywheel-layers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  it('finds static, type-only, export-from, dynamic and require imports with their lines', () => {
    const text = [
      "import a from './a.js';",
      'import type { B } from "../b.js";',
      "export * from './c.js';",
      "// import x from './commented.js';",
      "const e = await import('./e.js');",
      "const h = require('./h');",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { specifier: './a.js', line: 1 },
      { specifier: '../b.js', line: 2 },
      { specifier: './c.js', line: 3 },
      { specifier: './e.js', line: 5 },
      { specifier: './h', line: 6 },
    ]);
  });

  it('reports each violation as file:line and counts files, skipping node_modules and dist', () => {
    write('src/domain/ok.ts', "export const x = 1;\n");
    write('src/domain/bad.ts', "import { x } from './ok.js';\nimport { y } from '../storage/y.js';\nimport 'node:fs';\n");
    write('src/storage/y.ts', "export { x as y } from '../domain/ok.js';\n");
    write('src/services/s.ts', "export const load = () => import('../storage/y.js');\n");
    write('web/src/app.tsx', "export * from '../../src/client/index.js';\n");
    write('web/src/node_modules/pkg/index.ts', "import '../../../../src/storage/y.js';\n");
    write('src/server/dist/out.ts', "import '../../storage/y.js';\n");
    write('test/e2e/a.test.ts', "import '../../src/storage/y.js';\n");
    expect(lintLayers(root)).toEqual({
      files: 5,
      violations: [
        "src/domain/bad.ts:2: layer 'domain' may not import 'storage' (../storage/y.js)",
        "src/domain/bad.ts:3: layer 'domain' may not import 'node' (node:fs)",
        "src/services/s.ts:1: layer 'services' may not import 'storage' (../storage/y.js)",
      ],
    });
  });
});
