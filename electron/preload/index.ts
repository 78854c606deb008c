import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_CALL, IPC_EVENT, IPC_GRANT_DROP, type BridgeReply, type FormantBridge } from '../../shared/contract/bridge';

/**
 * The sandboxed preload: exposes `window.formant`, nothing else. No Node, no ipcRenderer,
 * no arbitrary channels reach the page; every call goes through one channel whose method
 * name and input the main process validates against the contract.
 */
const bridge: FormantBridge = {
  call: (method, input) => ipcRenderer.invoke(IPC_CALL, String(method), input) as Promise<BridgeReply>,
  onEvent: (cb) => {
    const listener = (_e: Electron.IpcRendererEvent, event: unknown) => cb(event);
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
  pathForFile: (file) => {
    let p: string;
    try {
      p = webUtils.getPathForFile(file);
    } catch {
      return '';
    }
    // Only a File the user dropped or picked has a path: that is what makes it readable (sent before any call that uses it, on the same ordered pipe).
    if (p) ipcRenderer.send(IPC_GRANT_DROP, p);
    return p;
  },
  platform: process.platform,
};

contextBridge.exposeInMainWorld('formant', bridge);
