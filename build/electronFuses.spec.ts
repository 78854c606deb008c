import { describe, expect, it } from 'vitest';
// electron-builder's own loader and schema check: what `npm run dist` would read, not a hand-rolled YAML parse.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

describe('electron-builder.yml: Electron fuses of the packaged app', () => {
  it('turns off running as Node and the inspector, encrypts cookies, loads only the integrity-checked app.asar', async () => {
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.asar ?? true).not.toBe(false); // the asar fuses mean nothing without an app.asar
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
