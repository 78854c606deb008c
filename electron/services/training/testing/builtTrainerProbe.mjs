// Starts a training through the electron-vite build's trainer runner (out/main/trainer.js) under plain `node`
// (no tsx, no TypeScript), where the built code must find resources/trainer and the Python on its own, then
// stops it the way the app's Stop does once a step is done, and prints one JSON line: the events' names, the
// trainer's run directory, and how the run ended.
//   node builtTrainerProbe.mjs <built main dir> <dataset dir> <run dir>
// Used by trainerBuilt.spec.ts.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [mainArg, datasetDir, runDir] = process.argv.slice(2);
const { runTrainer, trainArgs } = await import(pathToFileURL(path.join(path.resolve(mainArg), 'trainer.js')).href);

const controller = new AbortController();
const events = [];
let outcome;
try {
  const args = trainArgs({ datasetDir, runDir, config: 'tiny', steps: 100000, model: 'tacotron2', overrides: { checkpoint_every: 100000, validate_every: 100000 } });
  await runTrainer(args, {
    signal: controller.signal,
    onEvent: (e) => {
      events.push(e);
      if (e.event === 'step' && e.step === 2) controller.abort();
    },
  });
  outcome = { ended: 'finished' };
} catch (e) {
  outcome = { ended: e.code ?? 'error', message: e.message };
}
const start = events.find((e) => e.event === 'start');
const checkpoint = events.find((e) => e.event === 'checkpoint');
const done = events.find((e) => e.event === 'done');
process.stdout.write(
  JSON.stringify({ ...outcome, events: events.map((e) => e.event), runDir: start?.run_dir ?? null, checkpoint: checkpoint ?? null, validation: events.find((e) => e.event === 'validation')?.step ?? null, done: done ?? null }) + '\n',
);
