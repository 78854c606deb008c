import { useEffect, useState } from 'react';
import { pathForFile } from '../../api/client';
import { readDrop, type Drop } from './droppedFiles';

/**
 * Makes the whole window a drop target for recordings (files or folders). Shows an overlay
 * while something is dragged over it; `onDrop` receives paths (Electron) or files (web mode).
 * Disabled drops (no project open) still swallow the event so the browser does not navigate to the file.
 */
export function DropOverlay({ enabled, onDrop }: { enabled: boolean; onDrop: (drop: Drop) => void }) {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = enabled ? 'copy' : 'none';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) setOver(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setOver(false);
      if (!enabled || !e.dataTransfer) return;
      void readDrop(e.dataTransfer, pathForFile).then(onDrop);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [enabled, onDrop]);
  if (!over) return null;
  return (
    <div className={`drop-overlay${enabled ? '' : ' drop-disabled'}`}>
      <div className="drop-card">
        <div className="drop-icon" aria-hidden>
          ⤓
        </div>
        <div className="drop-title">{enabled ? 'Drop recordings to import' : 'Open or create a project first'}</div>
        {enabled && <div className="muted">WAV, FLAC, MP3, OGG, M4A… and transcripts (.txt, metadata.csv). Folders too.</div>}
      </div>
    </div>
  );
}
