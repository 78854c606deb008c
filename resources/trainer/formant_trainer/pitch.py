"""Fundamental frequency per mel frame for the duration model's pitch predictor (FastPitch conditions on it).

YIN (de Cheveigné & Kawahara 2002): the cumulative-mean-normalized difference function of each frame, the first
dip under a threshold as the period, parabolic interpolation between lags. Frames are centred like the mel's
(center=True: frame t at sample t·hop), so pitch and mel line up frame for frame. numpy only, vectorized over frames
through one FFT per frame: a 10 s clip takes a few tens of milliseconds.
"""
from __future__ import annotations

import numpy as np


def yin_f0(x: np.ndarray, sample_rate: int, hop: int, n_frames: int, frame_length: int = 1024,
           fmin: float = 65.0, fmax: float = 600.0, threshold: float = 0.15, silence_db: float = -50.0) -> np.ndarray:
    """f0 in Hz per frame [n_frames], 0 where unvoiced (no dip under `threshold`) or silent (frame RMS under
    `silence_db` dBFS)."""
    x = np.asarray(x, dtype=np.float64)
    tau_min = max(2, int(sample_rate / fmax))
    tau_max = min(frame_length // 2, int(np.ceil(sample_rate / fmin)))
    win = frame_length - tau_max  # YIN's integration window
    pad = frame_length // 2
    xp = np.pad(x, (pad, pad + frame_length), mode="constant")
    idx = np.arange(n_frames)[:, None] * hop + np.arange(frame_length)[None, :]
    frames = xp[idx]  # [F, L]
    n_fft = 1 << int(np.ceil(np.log2(2 * frame_length)))
    # cross term r(τ) = Σ_{j<win} x_j x_{j+τ}, for all τ at once
    spec_a = np.fft.rfft(frames[:, :win], n_fft)
    spec_b = np.fft.rfft(frames, n_fft)
    cross = np.fft.irfft(np.conj(spec_a) * spec_b, n_fft)[:, : tau_max + 1]
    sq = np.concatenate([np.zeros((n_frames, 1)), np.cumsum(frames ** 2, axis=1)], axis=1)
    e0 = sq[:, win][:, None]
    taus = np.arange(tau_max + 1)
    e_tau = sq[:, taus + win] - sq[:, taus]
    d = np.maximum(e0 + e_tau - 2 * cross, 0.0)  # difference function d(τ)
    cum = np.cumsum(d[:, 1:], axis=1)
    cmndf = np.ones_like(d)
    cmndf[:, 1:] = d[:, 1:] * taus[1:] / np.maximum(cum, 1e-12)
    search = cmndf[:, tau_min:]
    below = search < threshold
    has = below.any(axis=1)
    first = np.argmax(below, axis=1)
    # walk down to the local minimum after the first dip
    rows = np.arange(n_frames)
    tau = first.copy()
    for _ in range(tau_max):
        nxt = np.minimum(tau + 1, search.shape[1] - 1)
        go = has & (search[rows, nxt] < search[rows, tau]) & (nxt != tau)
        if not go.any():
            break
        tau = np.where(go, nxt, tau)
    lag = tau + tau_min
    # parabolic interpolation on the cmndf
    l0 = np.clip(lag - 1, 1, tau_max)
    l2 = np.clip(lag + 1, 1, tau_max)
    y0, y1, y2 = cmndf[rows, l0], cmndf[rows, lag], cmndf[rows, l2]
    denom = y0 - 2 * y1 + y2
    shift = np.where(np.abs(denom) > 1e-12, 0.5 * (y0 - y2) / np.where(np.abs(denom) > 1e-12, denom, 1.0), 0.0)
    period = lag + np.clip(shift, -1, 1)
    f0 = sample_rate / np.maximum(period, 1e-6)
    rms_db = 10 * np.log10(np.mean(frames[:, pad - hop // 2: pad + hop // 2] ** 2, axis=1) + 1e-12)
    voiced = has & (rms_db > silence_db) & (f0 >= fmin) & (f0 <= fmax)
    return np.where(voiced, f0, 0.0).astype(np.float32)
