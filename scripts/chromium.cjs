// Which Chromium the browser tests drive (through playwright-core; no browser download at test time).
// In order: CHROMIUM_PATH or CHROME_PATH when set; Debian's /usr/bin/chromium when present; else the
// headless Chromium that @sparticuz/chromium ships compressed inside its npm package, unpacked once
// into the temp folder. EGRESS_LENS_CHROMIUM=npm skips the first two, so the npm path stays tested on
// machines that have a system browser. Node 20: @sparticuz/chromium 143 is the last line whose
// `engines` admit it.
'use strict';
const { existsSync } = require('node:fs');

const SYSTEM = '/usr/bin/chromium';

/**
 * @param {{ npm?: boolean }} [opts] npm: take the npm-shipped Chromium whatever the machine has.
 * @returns {Promise<{ path: string, source: 'env' | 'system' | 'npm' }>}
 */
async function resolveChromium(opts = {}) {
  const forced = opts.npm === true || process.env.EGRESS_LENS_CHROMIUM === 'npm';
  const fromEnv = process.env.CHROMIUM_PATH || process.env.CHROME_PATH;
  if (fromEnv && !forced) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH/CHROME_PATH names ${fromEnv}, which does not exist`);
    return { path: fromEnv, source: 'env' };
  }
  if (!forced && existsSync(SYSTEM)) return { path: SYSTEM, source: 'system' };
  let pkg;
  try {
    pkg = (await import('@sparticuz/chromium')).default;
  } catch (e) {
    throw new Error(`no Chromium: ${SYSTEM} is missing and @sparticuz/chromium cannot be loaded (${e.message}); run npm ci`);
  }
  return { path: await pkg.executablePath(), source: 'npm' };
}

async function chromiumPath(opts) {
  return (await resolveChromium(opts)).path;
}

module.exports = { resolveChromium, chromiumPath };
