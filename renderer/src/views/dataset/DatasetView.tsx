/** The dataset view: the clip table with filters, bulk actions, totals and the duration histogram. */
export interface DatasetViewProps {
  /** Opens a clip in the editor (double-click / Enter on a row). */
  onOpenClip?: (clipId: string) => void;
}

export function DatasetView(_props: DatasetViewProps) {
  return <div className="dataset-view">Dataset</div>;
}
