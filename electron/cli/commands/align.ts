import type { RegisterCommand } from '../formant';
import { runInterruptible } from '../interruptible';
import { visibleControls } from '../terminalText';
import { ProgressBar } from '../progress';
import { acceptSegments } from '../../services/align/acceptSegments';
import { LOW_CONFIDENCE, UNTRUSTED_CONFIDENCE } from '../../services/align/confidence';
import { loadRun } from '../../services/align/alignRuns';
import { runAlignment } from '../../services/align/runAlignment';

const UNMATCHED_LABELS = { 'before-transcript': "before the transcript's first sentence", 'after-transcript': "after the transcript's last sentence" } as const;

/** `formant align <project-dir> <audio-file> <transcript.txt> [--json]` */
export const registerAlign: RegisterCommand = (program, setExit) => {
  program
    .command('align <project-dir> <audio-file> <transcript>')
    .description('align a long recording with its transcript (a UTF-8 text file) and add one clip per sentence')
    .option('--json', 'print the segments (text, start, end, confidence) as JSON')
    .option('--by-line', 'the transcript is a script with one sentence per line (do not split it into sentences)')
    .option('--no-accept', 'only align: the results and the recording wait under align/ in the project (not in sources/) for the Align view; no clips')
    .action(async (dir: string, audio: string, transcriptPath: string, opts: { json?: boolean; accept: boolean; byLine?: boolean }) => {
      const bar = new ProgressBar(100, 'align');
      let shown = 0;
      await runInterruptible(async (signal) => {
        const aligned = await runAlignment(
          { projectDir: dir, audioPath: audio, transcriptPath, byLine: opts.byLine },
          {
            signal: signal,
            onProgress: (f) => {
              const pct = Math.floor(f * 100);
              if (pct > shown) bar.tick(pct - shown);
              shown = Math.max(shown, pct);
            },
          },
        );
        bar.finish();
        let run = aligned.run;
        for (const w of aligned.warnings) process.stderr.write(`warning: ${w}\n`);
        let accepted = null;
        if (opts.accept) {
          // Clips read their audio again, region by region, from the stored copy (the recording is never held whole).
          accepted = await acceptSegments(dir, run.runId, undefined, { signal: signal });
          run = await loadRun(dir, run.runId); // the recording is a source now
        }
        const low = run.segments.filter((s) => s.confidence < LOW_CONFIDENCE);
        if (opts.json) {
          process.stdout.write(
            JSON.stringify(
              {
                runId: run.runId,
                source: run.sourceId || null,
                durationSeconds: run.durationSeconds,
                segments: run.segments.map((s) => ({ text: s.text, start: s.start, end: s.end, confidence: s.confidence, flags: s.flags, reasons: s.reasons ?? [] })),
                unmatchedSpeech: run.unmatchedSpeech,
                clips: accepted?.clips ?? [],
                kept: accepted?.kept ?? [],
                forReview: accepted?.forReview ?? [],
                skipped: accepted?.skipped ?? [],
              },
              null,
              2,
            ) + '\n',
          );
        } else {
          process.stdout.write(
            `${dir}: ${run.segments.length} segments aligned in ${run.durationSeconds.toFixed(1)} s of audio` +
              (accepted
                ? ` → ${accepted.clips.length} clips (${(accepted.seconds / 60).toFixed(1)} min)` + (accepted.kept.length ? `, ${accepted.kept.length} already clips from an earlier run (kept)` : '')
                : ' (not added: --no-accept)') +
              `; ${low.length} with low confidence` +
              (run.unmatchedSpeech.length ? `; ${run.unmatchedSpeech.length} stretch${run.unmatchedSpeech.length > 1 ? 'es' : ''} of speech not in the transcript` : '') +
              '\n',
          );
          // Listed first: speech in no clip (maybe a sentence the text lacks).
          for (const u of run.unmatchedSpeech) process.stdout.write(`  unmatched speech ${u.start.toFixed(2)}–${u.end.toFixed(2)} s (${u.speechSeconds.toFixed(1)} s of speech) ${UNMATCHED_LABELS[u.reason]}; in no clip\n`);
          for (const s of low.sort((a, b) => a.confidence - b.confidence))
            process.stdout.write(
              `  ${s.confidence.toFixed(2)} ${s.start.toFixed(2)}–${s.end.toFixed(2)} s [${s.flags.join(', ')}] ${visibleControls(s.text.slice(0, 70))}\n` +
                (s.reasons ?? []).map((r) => `      ${r}\n`).join(''),
            );
          for (const k of accepted?.skipped ?? []) process.stdout.write(`  skipped segment ${k.index + 1}: ${k.reason}\n`);
          if (accepted?.forReview.length)
            process.stdout.write(`  ${accepted.forReview.length} clip(s) could not be placed in the audio (confidence ≤ ${UNTRUSTED_CONFIDENCE}): marked untranscribed, left out of exports until you check them: ${accepted.forReview.join(', ')}\n`);
        }
      }, { bar, setExit });
    });
};
