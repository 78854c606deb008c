/**
 * Placeholder created by the shell so App.tsx can mount this view; the owning area replaces it.
 * Keep the export name: App.tsx imports { TrainView } from this path.
 */
export function TrainView() {
  return (
    <div className="view-placeholder">
      <h2>Train</h2>
      <p>This view is not built yet.</p>
    </div>
  );
}
