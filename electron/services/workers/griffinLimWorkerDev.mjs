// Bootstrap of a Griffin-Lim worker thread when running from TypeScript sources (CLI via tsx,
// vitest, web mode): a worker does not inherit the parent's tsx loader, so register it here,
// then load griffinLimWorker.ts. Bundled builds start out/main/ or out/cli/griffinLimWorker.js instead.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./griffinLimWorker.ts', import.meta.url).href);
