// flywheel models card MODEL VERSION [--html] [--out F] and models card-fields MODEL [--…] —
// a version's model card (Markdown or HTML) and the model's hand-written card fields.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { api } from '../../contracts/index.js';
import { emit } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

export function addModelCardCommands(cmd: Command, { io }: CommandEnv): void {
  cmd
    .command('card')
    .description("a version's model card as Markdown (or --html), to stdout or --out FILE")
    .argument('<model>')
    .argument('<version>', 'version number', intOption('<version>'))
    .option('--html', 'a standalone HTML page instead of Markdown')
    .option('--out <file>', 'write the card here')
    .option('--project <project>')
    .action(async (model: string, version: number, o: { html?: boolean; out?: string; project?: string }) => {
      const project = projectOf(io, o);
      const format = o.html ? 'html' : 'markdown';
      const text = await withClient(io, (c) => c.text(api.getModelCard, { params: { project, model, version }, query: { format } }));
      if (o.out) {
        writeFileSync(o.out, text);
        io.out(`wrote the ${format === 'html' ? 'HTML' : 'Markdown'} card of ${model} v${version} to ${o.out}`);
      } else {
        io.out(text.trimEnd());
      }
    });
  jsonFlag(
    cmd
      .command('card-fields')
      .description("fill in a model's card fields (options given are changed, others kept; '' clears one); without options, show them")
      .argument('<model>')
      .option('--intended-use <text>')
      .option('--limitations <text>')
      .option('--ethical-considerations <text>')
      .option('--owners <text>', 'owners and how to reach them')
      .option('--project <project>'),
  ).action(async (model: string, o: { intendedUse?: string; limitations?: string; ethicalConsiderations?: string; owners?: string; project?: string; json?: boolean }) => {
    const project = projectOf(io, o);
    const body = { intended_use: o.intendedUse, limitations: o.limitations, ethical_considerations: o.ethicalConsiderations, owners: o.owners };
    const changing = Object.values(body).some((v) => v !== undefined);
    const fields = await withClient(io, (c) =>
      changing ? c.putModelCardFields({ params: { project, model }, body }) : c.getModelCardFields({ params: { project, model } }),
    );
    emit(io, !!o.json, fields, () =>
      [
        ['intended use', fields.intended_use],
        ['limitations', fields.limitations],
        ['ethical considerations', fields.ethical_considerations],
        ['owners', fields.owners],
      ]
        .map(([k, v]) => `${k}: ${v || '(not filled in yet)'}`)
        .join('\n'),
    );
  });
}
