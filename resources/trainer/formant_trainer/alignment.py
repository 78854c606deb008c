"""Alignment health per utterance, so clips that never align can be found.

focus       = mean over decoder steps of the largest attention weight (1 = one symbol at a time; ~1/N = smeared)
diagonality = mean over decoder steps of Σ_n A[t,n]·exp(−(n/N − t/T)² / 2·0.2²): attention mass near the
              diagonal (1 = on it; speech is roughly linear in the text, so a healthy alignment is near 1)
coverage    = share of symbols that ever receive the maximum attention (a skipped word lowers it)
"""
from __future__ import annotations

import numpy as np

HEALTHY_FOCUS = 0.5
HEALTHY_DIAGONALITY = 0.5


def alignment_health(alignment: np.ndarray, n_steps: int, n_symbols: int) -> dict:
    a = np.asarray(alignment, dtype=np.float64)[:n_steps, :n_symbols]
    if a.size == 0:
        return {"focus": 0.0, "diagonality": 0.0, "coverage": 0.0, "aligned": False}
    t = np.arange(a.shape[0])[:, None] / max(1, a.shape[0] - 1)
    n = np.arange(a.shape[1])[None, :] / max(1, a.shape[1] - 1)
    g = np.exp(-((n - t) ** 2) / (2 * 0.2 ** 2))
    focus = float(a.max(axis=1).mean())
    diagonality = float((a * g).sum(axis=1).mean())
    coverage = float(len(np.unique(a.argmax(axis=1))) / a.shape[1])
    return {"focus": round(focus, 4), "diagonality": round(diagonality, 4), "coverage": round(coverage, 4),
            "aligned": bool(focus >= HEALTHY_FOCUS and diagonality >= HEALTHY_DIAGONALITY)}
