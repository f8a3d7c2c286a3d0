#!/usr/bin/env node
import { allCommands } from './registry.js';
import { runCli } from './run.js';

const code = await runCli(allCommands, process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: process.stderr.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
