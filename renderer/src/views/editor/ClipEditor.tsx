/** The clip editor: waveform, spectrogram and mel views, trim/split/merge, transcript, undo/redo. */
export interface ClipEditorProps {
  clipId?: string | null;
  /** Back to the dataset view (Escape). */
  onClose?: () => void;
}

export function ClipEditor(_props: ClipEditorProps) {
  return <div className="clip-editor">Clip editor</div>;
}
