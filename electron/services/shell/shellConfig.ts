import os from 'node:os';
import path from 'node:path';
import { findResourcesDir } from './appPaths';

/**
 * Where the app keeps its own files and finds its bundled resources, for the process that
 * runs the services (Electron main or the web-mode server). Set once at startup with
 * `configureShell`; tests point `dataDir` at a temp folder (or set FORMANT_DATA_DIR).
 */
export interface ShellConfig {
  mode: 'electron' | 'web';
  /** Recent projects, the demo project. */
  dataDir: string;
  /** The folder holding demo/, voices/, trainer/ (repo `resources/`, or process.resourcesPath when packaged). */
  resourcesDir: string;
  version: string;
}

/** The OS convention for per-user application data. */
export function defaultDataDir(): string {
  if (process.env.FORMANT_DATA_DIR) return path.resolve(process.env.FORMANT_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Formant Studio');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Formant Studio');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'formant-studio');
}

let config: ShellConfig = {
  mode: 'web',
  dataDir: defaultDataDir(),
  // the checkout's resources/ (sources, electron-vite build) or a packaged app's resourcesPath: appPaths.ts
  resourcesDir: findResourcesDir(),
  version: process.env.npm_package_version ?? '0.1.0',
};

export function configureShell(patch: Partial<ShellConfig>): ShellConfig {
  config = { ...config, ...patch };
  return config;
}

export function shellConfig(): ShellConfig {
  return config;
}

export function demoRecordingsDir(): string {
  return path.join(config.resourcesDir, 'demo', 'recordings');
}

export function demoProjectDir(): string {
  return path.join(config.dataDir, 'demo-project');
}
