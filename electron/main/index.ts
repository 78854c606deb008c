import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServiceEvent } from '../../shared/contract/rpc';
import { IPC_CALL, IPC_EVENT, IPC_GRANT_DROP, MEDIA_SCHEME } from '../../shared/contract/bridge';
import { createApiDispatcher } from '../services/handlers';
import { configureShell } from '../services/shell/shellConfig';
import { electronHandlers } from './electronHandlers';
import { grantDropped, ipcCall } from './ipcCall';
import { handleMediaRequest } from './mediaProtocol';
import { allowPermission } from './mediaPermission';

/**
 * The Electron main process, kept thin: one window (isolated, sandboxed, no Node), one
 * validated IPC channel into the same services web mode and the CLI use, a media protocol
 * confined to open projects and chosen paths, and nothing loaded from the network.
 */
protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const rendererRoot = pathToFileURL(path.dirname(rendererIndex)).href + '/';
const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).href;

configureShell({
  mode: 'electron',
  dataDir: app.getPath('userData'),
  // the resources folder is shellConfig's own default (shell/appPaths.ts: process.resourcesPath when packaged, else the checkout's resources/)
  version: app.getVersion(),
});

function broadcast(event: ServiceEvent): void {
  for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(IPC_EVENT, event);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: '#111318',
    title: 'Formant Studio',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  return win;
}

app.on('web-contents-created', (_e, contents) => {
  // No remote content: the window never navigates away and never opens new windows.
  contents.on('will-navigate', (e, url) => {
    if (url !== appUrl) e.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

const devUrl = process.env.ELECTRON_RENDERER_URL ?? null;

void app.whenReady().then(() => {
  // The microphone for the Record view, to the app's own page only; every other permission is refused.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, cb, details) =>
    cb(allowPermission({ permission, requestingUrl: details.requestingUrl ?? '', mediaTypes: 'mediaTypes' in details ? (details.mediaTypes as string[] | undefined) : undefined }, rendererRoot, devUrl)),
  );
  // Checks (enumerateDevices' labels, permission queries): the microphone as above; other checks keep Electron's default answer.
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permission !== 'media' || allowPermission({ permission, requestingUrl: requestingOrigin }, rendererRoot, devUrl));
  // Nothing but the app bundle, its media protocol and (in dev) the Vite server may load.
  session.defaultSession.webRequest.onBeforeRequest((details, cb) => {
    const u = details.url;
    const allowed = u.startsWith(rendererRoot) || u.startsWith(`${MEDIA_SCHEME}:`) || u.startsWith('devtools:') || u.startsWith('blob:') || u.startsWith('data:') || (devUrl !== null && (u.startsWith(devUrl) || u.startsWith(devUrl.replace(/^http/, 'ws'))));
    cb({ cancel: !allowed });
  });
  protocol.handle(MEDIA_SCHEME, handleMediaRequest);

  const dispatch = createApiDispatcher(electronHandlers());
  ipcMain.handle(IPC_CALL, (e, method: unknown, input: unknown) => ipcCall(dispatch, e.senderFrame?.url, appUrl, method, input, { emit: broadcast }));
  ipcMain.on(IPC_GRANT_DROP, (e, p: unknown) => grantDropped(e.senderFrame?.url, appUrl, p));

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
