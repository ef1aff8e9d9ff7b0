#!/usr/bin/env -S node --max-semi-space-size=32
// Entry point of the installed `flywheel` command (runs the built CLI). A larger young
// generation (32 MB semi-spaces) for the server: serving large batches makes short-lived garbage
// fast, and the default left ~1 ms of scavenging per 1,000-row request (package.json's scripts
// pass the same flag).
import { runCli } from '../dist/cli/main.js';

const code = await runCli(process.argv.slice(2));
if (code !== 0 || !['up', 'worker'].includes(process.argv[2] ?? '')) process.exitCode = code;
