import { describe, expect, it } from 'vitest';
import { allowPermission } from './mediaPermission';

const root = 'file:///opt/Formant%20Studio/resources/app.asar/out/renderer/';

describe('microphone permission (Electron)', () => {
  it("grants the microphone to the app's own page only", () => {
    expect(allowPermission({ permission: 'media', mediaTypes: ['audio'], requestingUrl: `${root}index.html#/record` }, root, null)).toBe(true);
    expect(allowPermission({ permission: 'media', requestingUrl: 'file:///' }, root, null)).toBe(true); // the check handler's origin
    expect(allowPermission({ permission: 'media', mediaTypes: ['audio'], requestingUrl: 'https://example.com/' }, root, null)).toBe(false);
    expect(allowPermission({ permission: 'media', mediaTypes: ['audio'], requestingUrl: 'file:///home/me/evil.html' }, root, null)).toBe(false);
    expect(allowPermission({ permission: 'media', mediaTypes: ['audio'], requestingUrl: 'http://localhost:5173/#/record' }, root, 'http://localhost:5173/')).toBe(true);
    expect(allowPermission({ permission: 'media', mediaTypes: ['audio'], requestingUrl: 'http://localhost:5174/' }, root, 'http://localhost:5173/')).toBe(false);
  });

  it('refuses the camera and every other permission, even to the app', () => {
    expect(allowPermission({ permission: 'media', mediaTypes: ['audio', 'video'], requestingUrl: `${root}index.html` }, root, null)).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(allowPermission({ permission: p, requestingUrl: `${root}index.html` }, root, null)).toBe(false);
  });
});
