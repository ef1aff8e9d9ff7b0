// The `flywheel` command line: every command written once against the client (local or remote).
import { Command, CommanderError } from 'commander';
import { AppError } from '../domain/errors.js';
import { VERSION } from '../platform.js';
import { annotateCommand } from './commands/annotate.command.js';
import { auditCommand } from './commands/audit.command.js';
import { dataCommand } from './commands/data.command.js';
import { deployCommand } from './commands/deploy.command.js';
import { modelsCommand } from './commands/models.command.js';
import { predictCommand } from './commands/predict.command.js';
import { projectCommand } from './commands/project.command.js';
import { tokenCommand } from './commands/token.command.js';
import { upCommand, workerCommand } from './commands/up.command.js';
import { userCommand } from './commands/user.command.js';
import { demoCommand } from './commands/demo.command.js';
import { policyCommand, runsCommand, trainCommand } from './commands/train.command.js';
import { monitorCommand } from './commands/monitor.command.js';
import { processIo, type CliIo } from './io.js';

export function buildProgram(io: CliIo): Command {
  const env = { io };
  const program = new Command('flywheel')
    .description('Flywheel: the ML lifecycle as one loop that closes itself')
    .version(VERSION)
    // Root options only before a command, so a command may have its own --version (deploy --version N).
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const cmd of [upCommand(env), workerCommand(env), demoCommand(env), tokenCommand(env), userCommand(env), projectCommand(env), auditCommand(env)]) {
    program.addCommand(cmd);
  }
  program.addCommand(annotateCommand(env));
  program.addCommand(dataCommand(env));
  program.addCommand(modelsCommand(env));
  program.addCommand(deployCommand(env));
  program.addCommand(predictCommand(env));
  program.addCommand(trainCommand(env));
  program.addCommand(runsCommand(env));
  program.addCommand(policyCommand(env));
  program.addCommand(monitorCommand(env));
  const exitOverride = (c: Command) => {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    c.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Run the CLI; answers the exit code. Errors are printed as one clear line on stderr. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof AppError) {
      if (!err.details?.quiet) io.err(`flywheel: ${err.message}`);
      return 1;
    }
    io.err(`flywheel: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
