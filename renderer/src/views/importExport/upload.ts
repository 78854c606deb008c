/**
 * Web mode: sends one dropped file to POST /upload (raw bytes; the server writes it to
 * <project>/.staging/<batch>/<relativePath>) and resolves with the path the server saved it at and the batch's staging folder.
 * XMLHttpRequest because fetch cannot report upload progress.
 */
export function uploadFile(projectDir: string, batch: string, relativePath: string, file: Blob, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<{ path: string; batchDir: string }> {
  return new Promise((resolve, reject) => {
    const q = new URLSearchParams({ project: projectDir, batch, name: relativePath });
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `upload?${q}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as { ok: boolean; result?: { path: string; batchDir: string }; error?: { message: string } };
        if (body.ok && body.result) resolve(body.result);
        else reject(new Error(body.error?.message ?? `upload failed (HTTP ${xhr.status})`));
      } catch {
        reject(new Error(`upload failed (HTTP ${xhr.status})`));
      }
    };
    xhr.onerror = () => reject(new Error('upload failed: the server is not reachable'));
    xhr.onabort = () => reject(new Error('cancelled'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
