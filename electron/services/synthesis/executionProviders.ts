import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

/**
 * Execution-provider choice: a GPU provider where the platform and this onnxruntime-node build
 * offer one (CUDA on Linux/Windows x64, DirectML on Windows, CoreML on macOS), else the CPU — and
 * always a note saying which one runs and why, so a silent CPU fallback never hides a missing GPU.
 */
export type ProviderName = 'cuda' | 'dml' | 'coreml' | 'cpu';

export interface SupportedBackend {
  name: string;
  bundled: boolean;
}

/** GPU providers worth trying on this platform, best first, limited to those the ORT build lists. */
export function gpuCandidates(platform: NodeJS.Platform, supported: SupportedBackend[]): ProviderName[] {
  const listed = new Set(supported.map((b) => b.name));
  const wanted: ProviderName[] = platform === 'win32' ? ['cuda', 'dml'] : platform === 'darwin' ? ['coreml'] : ['cuda'];
  return wanted.filter((p) => listed.has(p));
}

/**
 * The providers to try, in order. `FORMANT_EP` (or `requested`) forces one: `cpu` skips the GPU,
 * a GPU name is tried alone before the CPU fallback.
 */
export function providerPlan(platform: NodeJS.Platform, supported: SupportedBackend[], requested?: string): ProviderName[] {
  const forced = (requested ?? '').trim().toLowerCase();
  if (forced === 'cpu') return ['cpu'];
  if (forced === 'cuda' || forced === 'dml' || forced === 'coreml') return [forced, 'cpu'];
  return [...gpuCandidates(platform, supported), 'cpu'];
}

export interface ProviderChoice {
  provider: ProviderName;
  /** Human-readable: which provider runs and why the better ones did not. */
  note: string;
}

export interface CreateOptions {
  intraOpNumThreads?: number;
  requested?: string;
}

/** Providers that failed once in this process are not retried for every graph. */
const failed = new Map<ProviderName, string>();

/**
 * The CUDA provider is a separate shared library that `npm install` downloads online; when it is
 * absent, say so instead of letting ORT print a load error for every graph.
 */
export function missingProviderLibrary(provider: ProviderName, platform: NodeJS.Platform = process.platform): string | null {
  if (provider !== 'cuda') return null;
  let binDir: string;
  try {
    binDir = path.join(path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', platform, process.arch);
  } catch {
    return null;
  }
  const lib = platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(path.join(binDir, lib)) ? null : `${lib} is not installed (npm downloads it online; ONNXRUNTIME_NODE_INSTALL=skip leaves it out)`;
}

/** Graphs load in parallel; probing a GPU provider happens once, the others wait for its verdict. */
let probing: Promise<unknown> = Promise.resolve();

export type SessionFactory = (path: string, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;

export async function createSession(
  graphPath: string,
  opts: CreateOptions = {},
  factory: SessionFactory = (p, o) => ort.InferenceSession.create(p, o),
  env: { platform: NodeJS.Platform; supported: SupportedBackend[]; checkLibrary?: boolean } = { platform: process.platform, supported: safeListBackends() },
): Promise<{ session: ort.InferenceSession; choice: ProviderChoice }> {
  const plan = providerPlan(env.platform, env.supported, opts.requested ?? process.env.FORMANT_EP);
  const skipped: string[] = [];
  for (const provider of plan) {
    if (provider !== 'cpu') {
      const missing = env.checkLibrary === false ? null : missingProviderLibrary(provider, env.platform);
      if (missing) failed.set(provider, missing);
      if (failed.has(provider)) {
        skipped.push(`${provider}: ${failed.get(provider)}`);
        continue;
      }
      // First try of a GPU provider in this process: one graph at a time.
      const turn = probing.then(() => undefined);
      let release!: () => void;
      probing = new Promise<void>((r) => (release = r));
      await turn;
      try {
        if (failed.has(provider)) {
          skipped.push(`${provider}: ${failed.get(provider)}`);
          continue;
        }
        const session = await factory(graphPath, sessionOptions(provider, opts));
        return { session, choice: { provider, note: describeChoice(provider, skipped, env) } };
      } catch (e) {
        const why = firstLine((e as Error)?.message ?? String(e));
        failed.set(provider, why);
        skipped.push(`${provider}: ${why}`);
        continue;
      } finally {
        release();
      }
    }
    // The CPU is the last resort: its load error (a broken graph) is the caller's to report.
    const session = await factory(graphPath, sessionOptions(provider, opts));
    return { session, choice: { provider, note: describeChoice(provider, skipped, env) } };
  }
  throw new Error('no execution provider could load the graph');
}

function sessionOptions(provider: ProviderName, opts: CreateOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    ...(opts.intraOpNumThreads ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
  };
}

function describeChoice(provider: ProviderName, skipped: string[], env: { platform: NodeJS.Platform; supported: SupportedBackend[] }): string {
  if (provider !== 'cpu') return `running on the ${provider.toUpperCase()} execution provider`;
  if (skipped.length) return `GPU execution provider unavailable (${skipped.join('; ')}); running on CPU`;
  const gpuListed = env.supported.filter((b) => b.name !== 'cpu' && b.name !== 'webgpu');
  const hint =
    env.platform === 'linux' && gpuListed.some((b) => b.name === 'cuda')
      ? ' (the CUDA provider is downloaded by `npm install` online; ONNXRUNTIME_NODE_INSTALL=skip leaves it out)'
      : '';
  return process.env.FORMANT_EP?.toLowerCase() === 'cpu'
    ? 'running on CPU (FORMANT_EP=cpu)'
    : `no GPU execution provider offered for ${env.platform}/${process.arch} by this onnxruntime-node build${hint}; running on CPU`;
}

function safeListBackends(): SupportedBackend[] {
  try {
    return ort.listSupportedBackends();
  } catch {
    return [{ name: 'cpu', bundled: true }];
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 200);
}

/** For tests: forget which providers failed. */
export function resetProviderFailures(): void {
  failed.clear();
}
