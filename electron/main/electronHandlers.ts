import { BrowserWindow, dialog, shell } from 'electron';
import { promises as fs } from 'node:fs';
import type { Api } from '../../shared/contract/index';
import { ServiceError, type Handlers } from '../../shared/contract/rpc';
import { access } from '../services/shell/accessPolicy';

const FOLDER_TITLES = {
  project: 'Choose a project folder',
  import: 'Choose a folder to import',
  export: 'Choose where to export',
  dataset: 'Choose the dataset (an LJSpeech export)',
  run: 'Choose the run folder',
} as const;

/** The API methods that need a native window: pickers and "show in folder". Everything else is shared with web mode. */
export function electronHandlers(): Partial<Handlers<Api>> {
  const parent = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  return {
    'app.pickFolder': async ({ title, purpose }) => {
      const win = parent();
      const opts: Electron.OpenDialogOptions = {
        title: title ?? FOLDER_TITLES[purpose],
        properties: ['openDirectory', 'createDirectory'],
      };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      const chosen = r.canceled ? null : (r.filePaths[0] ?? null);
      if (chosen) access.grantChosen(chosen);
      return { path: chosen };
    },
    'app.pickFiles': async ({ title, purpose }) => {
      const win = parent();
      const opts: Electron.OpenDialogOptions =
        purpose === 'checkpoint'
          ? {
              title: title ?? 'Choose a checkpoint',
              properties: ['openFile'],
              filters: [
                { name: 'PyTorch checkpoints', extensions: ['pt', 'pth', 'ckpt'] },
                { name: 'All files', extensions: ['*'] },
              ],
            }
          : {
              title: title ?? 'Choose recordings to import',
              properties: ['openFile', 'multiSelections'],
              filters: [
                { name: 'Audio and transcripts', extensions: ['wav', 'flac', 'mp3', 'ogg', 'opus', 'm4a', 'aac', 'aif', 'aiff', 'webm', 'txt', 'csv', 'lab'] },
                { name: 'All files', extensions: ['*'] },
              ],
            };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      const paths = r.canceled ? [] : r.filePaths;
      for (const p of paths) access.grantChosen(p);
      return { paths };
    },
    'app.reveal': async ({ path: p }) => {
      if (!access.allows(p)) throw new ServiceError('forbidden', `${p} is outside the open projects and the folders you chose`);
      const st = await fs.stat(p).catch(() => null);
      if (!st) throw new ServiceError('not-found', `${p} does not exist`);
      if (st.isDirectory()) {
        const err = await shell.openPath(p);
        if (err) throw new ServiceError('failed', err);
      } else shell.showItemInFolder(p);
      return { ok: true as const };
    },
  };
}
