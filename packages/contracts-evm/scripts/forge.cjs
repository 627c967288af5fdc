#!/usr/bin/env node
// Runs the real forge binary with the given arguments from the package root and keeps its exit code.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { foundryBin } = require('./foundry-bin.cjs');

const root = path.resolve(__dirname, '..');
const res = spawnSync(foundryBin('forge'), process.argv.slice(2), { cwd: root, stdio: 'inherit' });
if (res.error) {
  console.error(`forge.cjs: ${res.error.message}`);
  process.exit(1);
}
process.exit(res.status === null ? 1 : res.status);
