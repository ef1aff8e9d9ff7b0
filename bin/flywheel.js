#!/usr/bin/env node
// Entry point of the installed `flywheel` command (runs the built CLI).
import { runCli } from '../dist/cli/main.js';

const code = await runCli(process.argv.slice(2));
if (code !== 0 || !['up', 'worker'].includes(process.argv[2] ?? '')) process.exitCode = code;
