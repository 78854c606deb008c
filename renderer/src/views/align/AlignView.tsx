/**
 * Placeholder created by the shell so App.tsx can mount this view; the owning area replaces it.
 * Keep the export name: App.tsx imports { AlignView } from this path.
 */
export function AlignView() {
  return (
    <div className="view-placeholder">
      <h2>Align</h2>
      <p>This view is not built yet.</p>
    </div>
  );
}
