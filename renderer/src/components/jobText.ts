/**
 * Job messages as a person reads them: a dropped file is uploaded to `<project>/.staging/<batch>/<name>` before
 * the import job reads it (web mode), and the job reports files by that path. People dropped `<name>`: show that.
 */
const STAGED = /(?:[A-Za-z]:)?[^\s'"`]*[\\/]\.staging[\\/][^\\/\s]+[\\/]/g;

export function userText(message: string | null | undefined): string {
  return (message ?? '').replace(STAGED, '');
}
