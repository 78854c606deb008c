"""Alignment learning for the duration model, without an external aligner (Badlani et al. 2021, "One TTS Alignment
To Rule Them All", as FastPitch 1.1 and RAD-TTS use it; monotonic alignment search from Glow-TTS, Kim et al. 2020).

- `beta_binomial_prior`: a soft diagonal prior over (frame, symbol), multiplied into the learned attention so it
  starts near the diagonal and converges in hundreds of steps instead of thousands.
- `forward_sum_loss`: −log P(text | mel) summed over every monotonic path (CTC with a blank), the alignment's loss.
- `monotonic_alignment_search`: the single most likely monotonic path through the soft attention (Viterbi): one
  symbol per frame, each symbol at least one frame, in order. Its column sums are the durations the model learns.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

_PRIOR_CACHE: dict[tuple[int, int, float], torch.Tensor] = {}


def beta_binomial_prior(n_symbols: int, n_frames: int, scaling: float = 1.0) -> torch.Tensor:
    """[n_frames, n_symbols] prior: frame t (1-based) draws its symbol from BetaBinomial(N−1, a=s·t, b=s·(T+1−t)),
    whose mean walks from the first symbol to the last as t goes from 1 to T (FastPitch 1.1's attention prior)."""
    key = (n_symbols, n_frames, scaling)
    if key in _PRIOR_CACHE:
        return _PRIOR_CACHE[key]
    n = n_symbols - 1
    k = torch.arange(n_symbols, dtype=torch.float64)
    t = torch.arange(1, n_frames + 1, dtype=torch.float64)[:, None]
    a, b = scaling * t, scaling * (n_frames + 1 - t)
    # pmf(k) = C(n, k) · B(k + a, n − k + b) / B(a, b), in log space through lgamma
    lbeta = lambda x, y: torch.lgamma(x) + torch.lgamma(y) - torch.lgamma(x + y)  # noqa: E731
    log_comb = torch.lgamma(torch.tensor(n + 1.0)) - torch.lgamma(k + 1) - torch.lgamma(n - k + 1)
    prior = torch.exp(log_comb + lbeta(k + a, n - k + b) - lbeta(a, b)).float()
    if len(_PRIOR_CACHE) > 4096:
        _PRIOR_CACHE.clear()
    _PRIOR_CACHE[key] = prior
    return prior


def batch_prior(text_lengths: torch.Tensor, mel_lengths: torch.Tensor, scaling: float = 1.0) -> torch.Tensor:
    """[B, T_max, N_max] priors of a padded batch (zeros in the padding)."""
    b = len(text_lengths)
    out = torch.zeros(b, int(mel_lengths.max()), int(text_lengths.max()))
    for i in range(b):
        n, t = int(text_lengths[i]), int(mel_lengths[i])
        out[i, :t, :n] = beta_binomial_prior(n, t, scaling)
    return out


def forward_sum_loss(attn_logprob: torch.Tensor, text_lengths: torch.Tensor, mel_lengths: torch.Tensor,
                     blank_logprob: float = -1.0, reduction: str = "mean") -> torch.Tensor:
    """attn_logprob [B, T, N] (unnormalized log scores over symbols) → mean over the batch of −log Σ_paths P,
    normalized by text length (CTC over the symbols in order, a blank allowed between them); reduction="none":
    that value per clip [B]."""
    b, t_max, n_max = attn_logprob.shape
    sym = torch.arange(n_max, device=attn_logprob.device)
    masked = attn_logprob.masked_fill(sym[None, None, :] >= text_lengths[:, None, None], -1e4)
    scores = F.pad(masked, (1, 0), value=blank_logprob)  # column 0 = blank
    log_probs = F.log_softmax(scores, dim=2).transpose(0, 1)  # [T, B, N+1]
    targets = (sym[None, :] + 1).expand(b, n_max)
    if reduction == "none":
        per_clip = F.ctc_loss(log_probs, targets, mel_lengths, text_lengths, blank=0, reduction="none", zero_infinity=True)
        return per_clip / text_lengths.to(per_clip.dtype)
    return F.ctc_loss(log_probs, targets, mel_lengths, text_lengths, blank=0, reduction="mean", zero_infinity=True)


def monotonic_alignment_search(log_attn: np.ndarray, text_lengths: np.ndarray, mel_lengths: np.ndarray) -> np.ndarray:
    """log_attn [B, T, N] → hard alignment [B, T, N] of 0/1: for each frame exactly one symbol, symbols in order,
    each at least one frame, the path of highest total log-probability (requires T_b ≥ N_b). Vectorized over the
    batch and the symbols; loops over frames only."""
    b, t_max, n_max = log_attn.shape
    neg = -1e9
    logp = np.where(np.arange(n_max)[None, None, :] < text_lengths[:, None, None], log_attn, neg).astype(np.float64)
    q = np.full((b, n_max), neg)
    q[:, 0] = logp[:, 0, 0]
    advanced = np.zeros((b, t_max, n_max), dtype=bool)  # at frame t, symbol n was reached from n−1 at t−1
    for t in range(1, t_max):
        prev_shift = np.concatenate([np.full((b, 1), neg), q[:, :-1]], axis=1)
        adv = prev_shift > q
        advanced[:, t] = adv
        q = np.where(adv, prev_shift, q) + logp[:, t]
    hard = np.zeros((b, t_max, n_max), dtype=np.float32)
    cur = text_lengths.astype(np.int64) - 1
    rows = np.arange(b)
    for t in range(t_max - 1, -1, -1):
        active = t < mel_lengths
        hard[rows[active], t, cur[active]] = 1.0
        move = active & (cur > 0) & (advanced[rows, t, np.maximum(cur, 0)] | (cur >= t))
        cur = np.where(move, cur - 1, cur)
    return hard


def durations_from_alignment(hard: torch.Tensor) -> torch.Tensor:
    """[B, T, N] hard alignment → frames per symbol [B, N] (long)."""
    return hard.sum(1).long()
