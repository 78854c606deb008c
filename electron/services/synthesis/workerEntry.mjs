// Bootstrap of the synthesis worker thread when running from TypeScript sources (CLI via tsx,
// vitest, web mode): a worker does not inherit the parent's tsx loader, so register it here,
// then load worker.ts. A bundled build points FORMANT_SYNTH_WORKER at its compiled worker instead.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker.ts', import.meta.url).href);
