// flywheel annotate export|import|add-image — a labelling job's work exchanged with outside
// tools and contractors: Label Studio JSON, or results as JSON Lines or CSV (export a batch,
// import results back by task id with provenance), and images uploaded as image-boxes tasks.
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { api, type UploadedImageView } from '../../contracts/index.js';
import { ValidationError } from '../../domain/errors.js';
import { emit } from '../io.js';
import { jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import { readItems } from './annotate.command.js';

const FORMATS = ['label-studio', 'jsonl', 'csv'] as const;
type Format = (typeof FORMATS)[number];

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

function formatOf(given: string | undefined, file?: string): Format {
  if (given !== undefined) {
    if (!(FORMATS as readonly string[]).includes(given)) throw new ValidationError(`--format must be one of ${FORMATS.join(', ')}, got '${given}'`, { field: '--format' });
    return given as Format;
  }
  const ext = file ? extname(file).toLowerCase() : '';
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' ? 'csv' : 'label-studio';
}

function checkStatus(status: string | undefined): void {
  if (status !== undefined && !['open', 'resolved'].includes(status)) throw new ValidationError(`--status must be open or resolved, got '${status}'`, { field: '--status' });
}

/** Add `export`, `import` and `add-image` to the `annotate` command. */
export function addExchangeCommands(cmd: Command, { io }: CommandEnv): void {
  const withJob = (c: Command) => c.requiredOption('--job <job>', 'labelling job (name or id)').option('--project <project>');

  jsonFlag(
    withJob(
      cmd
        .command('export')
        .description("a job's tasks and labels as Label Studio JSON, or results as JSON Lines or CSV (to stdout, or --out FILE)")
        .option('--format <format>', 'label-studio, jsonl or csv (default: from --out\'s extension, else label-studio)')
        .option('--out <file>', 'write it here')
        .option('--status <status>', 'only open or resolved tasks'),
    ),
  ).action(async (o) => {
    checkStatus(o.status);
    const format = formatOf(o.format, o.out);
    const project = projectOf(io, o);
    const params = { project, job: o.job };
    let text: string;
    let tasks: number;
    if (format === 'label-studio') {
      const exported = await withClient(io, (c) => c.exportLabellingJob({ params, query: { format: 'label-studio', status: o.status } }));
      text = `${JSON.stringify(exported, null, 2)}\n`;
      tasks = exported.length;
    } else {
      text = await withClient(io, (c) => c.text(api.exportLabellingResults, { params, query: { format, status: o.status } }));
      tasks = format === 'jsonl' ? text.split('\n').filter((l) => l.trim() !== '').length : new Set(text.split('\n').slice(1).filter((l) => l !== '').map((l) => l.split(',')[0])).size;
    }
    if (o.out) {
      writeFileSync(o.out, text);
      emit(io, o.json, { tasks, format, out: o.out }, () => `wrote ${tasks} tasks to ${o.out}`);
    } else {
      io.out(text.trimEnd());
    }
  });

  jsonFlag(
    withJob(
      cmd
        .command('import')
        .description('import a Label Studio JSON file (tasks matched by id, new annotations recorded), or results as JSON Lines or CSV (matched by task id)')
        .argument('<file>', 'Label Studio JSON (a list of tasks), .jsonl or .csv results')
        .option('--format <format>', 'label-studio, jsonl or csv (default: from the extension)')
        .option('--provider <name>', 'who made the annotations (recorded as provenance)', 'label-studio'),
    ),
  ).action(async (file, o) => {
    const format = formatOf(o.format, file);
    const project = projectOf(io, o);
    const params = { project, job: o.job };
    if (format === 'label-studio') {
      const tasks = readItems(file);
      const r = await withClient(io, (c) => c.importLabellingJob({ params, query: { format: 'label-studio', provider: o.provider }, body: { tasks } }));
      emit(io, o.json, r, () =>
        [
          `${r.accepted} of ${r.received} tasks imported (${r.tasks_created} new), ${r.rejected} rejected; annotations: ${r.annotations.accepted} recorded, ${r.annotations.skipped} already there, ${r.annotations.rejected} rejected`,
          ...r.items.flatMap((x) =>
            x.status === 'rejected'
              ? [`  task ${x.index}: ${x.field}: ${x.reason}`]
              : x.annotations.flatMap((a) => (a.status === 'rejected' ? [`  task ${x.index} annotation ${a.index}: ${a.field}: ${a.reason}`] : [])),
          ),
        ].join('\n'),
      );
      return;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ValidationError(`cannot read ${file}: ${(err as Error).message}`, { field: 'file' });
    }
    const r = await withClient(io, (c) =>
      c.upload(api.importLabellingResults, { params, query: { format, provider: o.provider }, body: new TextEncoder().encode(text), contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson' }),
    );
    emit(io, o.json, r, () =>
      [
        `${r.accepted} of ${r.received} results recorded, ${r.skipped} already there, ${r.rejected} rejected`,
        ...r.items.flatMap((x) => (x.status === 'rejected' ? [`  ${x.row === null ? `line ${x.line}` : `row ${x.row}`}${x.result === null ? '' : ` result ${x.result}`}: ${x.field}: ${x.reason}`] : [])),
      ].join('\n'),
    );
  });

  jsonFlag(
    withJob(
      cmd
        .command('add-image')
        .description('upload images (PNG, JPEG, GIF, WebP) to an image-boxes job, one task each')
        .argument('<files...>', 'image files'),
    ),
  ).action(async (files: string[], o) => {
    const project = projectOf(io, o);
    for (const f of files) {
      const type = IMAGE_TYPES[extname(f).toLowerCase()];
      if (!type) throw new ValidationError(`${f}: not a .png, .jpg, .gif or .webp file`, { field: 'file' });
      if (!statSync(f, { throwIfNoEntry: false })?.isFile()) throw new ValidationError(`no such file: ${f}`, { field: 'file' });
    }
    const results: UploadedImageView[] = [];
    for (const f of files) {
      const r = await withClient(io, (c) =>
        c.upload(api.uploadLabellingImage, { params: { project, job: o.job }, query: { name: basename(f) }, body: createReadStream(f), contentType: IMAGE_TYPES[extname(f).toLowerCase()] }),
      );
      results.push(r);
    }
    emit(io, o.json, results, () =>
      results.map((r) => `${r.created ? 'added' : 'already there:'} ${r.image.name ?? r.image.sha256} → task ${r.task_id} (${r.image.width ?? '?'}×${r.image.height ?? '?'})`).join('\n'),
    );
  });
}
