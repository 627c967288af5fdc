// Resolves the real Foundry binaries from the npm platform packages. The npm wrapper
// (node_modules/.bin/forge) exits 0 even when forge fails, so it is never used.
'use strict';
const path = require('node:path');
const { createRequire } = require('node:module');

const platforms = { 'linux-x64': 'linux-amd64', 'linux-arm64': 'linux-arm64', 'darwin-x64': 'darwin-amd64', 'darwin-arm64': 'darwin-arm64' };

function foundryBin(tool) {
  const plat = platforms[`${process.platform}-${process.arch}`];
  if (!plat) throw new Error(`foundry-bin: unsupported platform ${process.platform}-${process.arch}`);
  const wrapper = require.resolve(`@foundry-rs/${tool}/package.json`);
  const pkg = createRequire(wrapper).resolve(`@foundry-rs/${tool}-${plat}/package.json`);
  return path.join(path.dirname(pkg), 'bin', tool);
}

module.exports = { foundryBin };
