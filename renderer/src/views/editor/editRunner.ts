import { emptyHistory, mapHistory, record, takeRedo, takeUndo, type History } from '../../stores/history';
import { applyCommand, coalesceEdits, renameInCommand, revertCommand, type ClipEditApi, type EditCommand, type EditResult } from './editCommands';

/**
 * Runs edit commands through the API with an undo/redo history.
 *
 * Invariants:
 *  - operations run one at a time, in call order (a queue), so fast ctrl+Z presses never interleave;
 *  - a command enters `past` only after the service applied it; a failed step leaves the history as it was;
 *  - after every step, ids the service changed are rewritten in the whole history.
 */
export class EditRunner {
  private history: History<EditCommand> = emptyHistory();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly api: ClipEditApi,
    private readonly projectDir: string,
    /** Called after each successful step, with what changed (the store patches its manifest copy). */
    private readonly onChange: (r: EditResult) => void = () => undefined,
  ) {}

  get canUndo(): boolean {
    return this.history.past.length > 0;
  }
  get canRedo(): boolean {
    return this.history.future.length > 0;
  }
  get snapshot(): Readonly<History<EditCommand>> {
    return this.history;
  }

  /** Applies a new command and records it (coalescing transcript typing). */
  execute(cmd: EditCommand, opts: { coalesce?: boolean } = {}): Promise<EditResult> {
    return this.enqueue(async () => {
      const { result, cmd: applied } = await applyCommand(this.api, this.projectDir, cmd);
      this.history = record(this.history, applied, { coalesce: opts.coalesce === false ? undefined : coalesceEdits });
      return this.finish(result);
    });
  }

  /** Undoes the last command; resolves null when there was nothing to undo. */
  undo(): Promise<EditResult | null> {
    return this.enqueue(async () => {
      const step = takeUndo(this.history);
      if (!step) return null;
      const { result } = await revertCommand(this.api, this.projectDir, step.cmd);
      this.history = step.next;
      return this.finish(result);
    });
  }

  redo(): Promise<EditResult | null> {
    return this.enqueue(async () => {
      const step = takeRedo(this.history);
      if (!step) return null;
      const { result, cmd } = await applyCommand(this.api, this.projectDir, step.cmd);
      this.history = { past: [...step.next.past.slice(0, -1), cmd], future: step.next.future };
      return this.finish(result);
    });
  }

  /** Waits for every queued step. */
  idle(): Promise<void> {
    return this.queue.then(
      () => undefined,
      () => undefined,
    );
  }

  private finish(result: EditResult): EditResult {
    for (const [from, to] of result.renames) this.history = mapHistory(this.history, (c) => renameInCommand(c, from, to));
    this.onChange(result);
    return result;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
