#!/usr/bin/env node
// The `swx` bin: runs the TypeScript sources through tsx, so `npx swx` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
