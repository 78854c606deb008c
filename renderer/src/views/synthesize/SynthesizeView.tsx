/**
 * Placeholder created by the shell so App.tsx can mount this view; the owning area replaces it.
 * Keep the export name: App.tsx imports { SynthesizeView } from this path.
 */
export function SynthesizeView() {
  return (
    <div className="view-placeholder">
      <h2>Synthesize</h2>
      <p>This view is not built yet.</p>
    </div>
  );
}
