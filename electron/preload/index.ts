import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_CALL, IPC_EVENT, type BridgeReply, type FormantBridge } from '../../shared/contract/bridge';

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
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return '';
    }
  },
  platform: process.platform,
};

contextBridge.exposeInMainWorld('formant', bridge);
