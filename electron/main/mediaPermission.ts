/**
 * The microphone (the Record view) is granted to the app's own page only: its file:// bundle, or the
 * dev server in development. Everything else, and every other permission, stays refused. Electron names
 * the microphone 'media' (with mediaTypes ['audio']); a camera request is refused even from the app.
 */
export interface PermissionAsk {
  permission: string;
  /** The requesting page's URL or origin (Electron gives a URL to the request handler, an origin to the check handler). */
  requestingUrl: string;
  mediaTypes?: string[];
}

export function isAppPage(url: string, rendererRoot: string, devUrl: string | null): boolean {
  if (url.startsWith(rendererRoot)) return true;
  if (url === 'file:///' || url === 'file://') return rendererRoot.startsWith('file://'); // the check handler's origin for file pages
  if (devUrl) {
    try {
      return new URL(url).origin === new URL(devUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

export function allowPermission(ask: PermissionAsk, rendererRoot: string, devUrl: string | null): boolean {
  if (ask.permission !== 'media') return false;
  if (ask.mediaTypes && ask.mediaTypes.some((t) => t !== 'audio')) return false;
  return isAppPage(ask.requestingUrl, rendererRoot, devUrl);
}
