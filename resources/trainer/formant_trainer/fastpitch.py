"""The duration model: a non-autoregressive acoustic model in the FastSpeech / FastPitch / SpeedySpeech line.

    symbols → embedding → encoder ─┬→ duration predictor  (log frames per symbol)
                                   ├→ pitch predictor     (mean log-f0 per symbol, normalized) ─ conv → +
                                   └→ energy predictor    (mean ln-mel level per symbol, normalized) ─ conv → +
             → length regulation (each symbol repeated for its frames, + its position inside the symbol)
             → decoder → linear → ln-mel [n_mels, frames]   (the voice's preset: Griffin-Lim / WaveGlow unchanged)

Encoder and decoder are stacks of residual dilated 1-D convolutions (SpeedySpeech, LightSpeech: on a CPU a
convolution over ~500 frames costs far less than self-attention, and `fp_conv="separable"` makes it cheaper still).
Durations are learned, not imported: an alignment encoder scores every (frame, symbol) pair, a beta-binomial prior
keeps it near the diagonal, the forward-sum (CTC) loss trains it, and monotonic alignment search turns it into one
symbol per frame, whose counts are the durations (FastPitch 1.1 / RAD-TTS). Pitch and energy are averaged over
each symbol's frames (FastPitch); at inference `pace` divides durations and `pitch_shift` (semitones) moves the
predicted log-f0.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .hparams import HParams
from .mas import batch_prior, durations_from_alignment, forward_sum_loss, monotonic_alignment_search


def sequence_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    max_len = int(lengths.max()) if max_len is None else max_len
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


class ChannelNorm(nn.LayerNorm):
    """LayerNorm over the channels of [B, C, T]: batch-independent, one fused kernel (memory-bound element-wise
    work is what a small conv model spends most of its CPU time on)."""

    def forward(self, x):
        return F.layer_norm(x.transpose(1, 2), self.normalized_shape, self.weight, self.bias, self.eps).transpose(1, 2)


class ResidualConv(nn.Module):
    """x + dropout(norm(relu(conv(x)))), masked: SpeedySpeech's residual block. `separable`: a depthwise conv then a
    pointwise one (LightSpeech), k·C + C² weights instead of k·C²."""

    def __init__(self, channels: int, kernel: int, dilation: int, dropout: float, separable: bool):
        super().__init__()
        pad = dilation * (kernel - 1) // 2
        if separable:
            self.conv = nn.Sequential(nn.Conv1d(channels, channels, kernel, padding=pad, dilation=dilation, groups=channels),
                                      nn.Conv1d(channels, channels, 1))
        else:
            self.conv = nn.Conv1d(channels, channels, kernel, padding=pad, dilation=dilation)
        self.norm = ChannelNorm(channels)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        return (x + self.dropout(self.norm(F.relu(self.conv(x * mask))))) * mask


class ConvStack(nn.Module):
    def __init__(self, channels: int, kernel: int, dilations: list[int], dropout: float, separable: bool):
        super().__init__()
        self.blocks = nn.ModuleList(ResidualConv(channels, kernel, d, dropout, separable) for d in dilations)

    def forward(self, x, mask):
        for block in self.blocks:
            x = block(x, mask)
        return x


class TemporalPredictor(nn.Module):
    """Two conv + ReLU + norm + dropout layers, then one value per position (FastPitch's duration/pitch/energy
    predictor)."""

    def __init__(self, channels: int, filters: int, kernel: int = 3, dropout: float = 0.1):
        super().__init__()
        self.layers = nn.ModuleList()
        for i in range(2):
            self.layers.append(nn.ModuleDict({
                "conv": nn.Conv1d(channels if i == 0 else filters, filters, kernel, padding=kernel // 2),
                "norm": ChannelNorm(filters)}))
        self.dropout = nn.Dropout(dropout)
        self.proj = nn.Conv1d(filters, 1, 1)

    def forward(self, x, mask):  # x [B, C, N], mask [B, 1, N] → [B, N]
        for layer in self.layers:
            x = self.dropout(layer["norm"](F.relu(layer["conv"](x * mask))))
        return (self.proj(x) * mask).squeeze(1)


class AlignmentEncoder(nn.Module):
    """Scores every (frame, symbol) pair as −temperature·‖query(mel) − key(symbol embedding)‖² (RAD-TTS)."""

    def __init__(self, n_mels: int, text_channels: int, att_channels: int = 80, temperature: float = 5e-4):
        super().__init__()
        self.temperature = temperature
        self.key = nn.Sequential(nn.Conv1d(text_channels, 2 * text_channels, 3, padding=1), nn.ReLU(),
                                 nn.Conv1d(2 * text_channels, att_channels, 1))
        self.query = nn.Sequential(nn.Conv1d(n_mels, 2 * n_mels, 3, padding=1), nn.ReLU(),
                                   nn.Conv1d(2 * n_mels, n_mels, 1), nn.ReLU(), nn.Conv1d(n_mels, att_channels, 1))

    def forward(self, mel, emb, text_mask, prior):
        """mel [B, n_mels, T], emb [B, C, N], text_mask [B, N] bool, prior [B, T, N] → (log-probabilities with the
        prior [B, T, N] (what the forward-sum loss reads), soft attention [B, T, N] (rows sum to 1))."""
        q = self.query(mel)  # [B, A, T]
        k = self.key(emb)  # [B, A, N]
        dist = (q ** 2).sum(1)[:, :, None] + (k ** 2).sum(1)[:, None, :] - 2 * torch.bmm(q.transpose(1, 2), k)
        scores = -self.temperature * dist
        scores = scores.masked_fill(~text_mask[:, None, :], -1e4)
        logprob = F.log_softmax(scores, dim=2) + torch.log(prior + 1e-8)
        soft = torch.softmax(logprob.masked_fill(~text_mask[:, None, :], -1e4), dim=2)
        return logprob, soft


def average_per_symbol(values: torch.Tensor, durations: torch.Tensor, weight: torch.Tensor | None = None) -> torch.Tensor:
    """Mean of frame values [B, T] over each symbol's frames (durations [B, N]), counting only frames where
    `weight` [B, T] is 1 (voiced frames, for pitch); 0 where a symbol has none."""
    w = torch.ones_like(values) if weight is None else weight
    cum = F.pad(torch.cumsum(durations, 1), (1, 0))  # [B, N+1]
    csum_v = F.pad(torch.cumsum(values * w, 1), (1, 0))
    csum_w = F.pad(torch.cumsum(w, 1), (1, 0))
    start, end = cum[:, :-1], cum[:, 1:]
    total = torch.gather(csum_v, 1, end) - torch.gather(csum_v, 1, start)
    count = torch.gather(csum_w, 1, end) - torch.gather(csum_w, 1, start)
    return torch.where(count > 0, total / count.clamp(min=1e-6), torch.zeros_like(total))


def length_regulate(x: torch.Tensor, durations: torch.Tensor, n_frames: int | torch.Tensor | None = None):
    """Repeats each symbol's vector for its frames: x [B, C, N], durations [B, N] (≥ 0, integers) → [B, C, T], plus
    the position features of each frame [B, 2, T] (how far into its symbol, 0..1; the symbol's log length) and the
    frame mask [B, T]. Written with cumsum and comparisons (no repeat_interleave), so it exports to ONNX as is."""
    durations = durations.long()
    end = torch.cumsum(durations, 1)  # [B, N]
    start = end - durations
    if n_frames is None:
        n_frames = end[:, -1].max()
    frames = torch.arange(0, n_frames, device=x.device)
    sel = ((frames[None, :, None] >= start[:, None, :]) & (frames[None, :, None] < end[:, None, :])).to(x.dtype)  # [B, T, N]
    out = torch.bmm(x, sel.transpose(1, 2))
    d = durations.to(x.dtype)
    offset = (frames[None, :, None].to(x.dtype) - start[:, None, :].to(x.dtype)) / d.clamp(min=1)[:, None, :]
    position = (sel * offset).sum(2)
    log_len = (sel * torch.log(d.clamp(min=1))[:, None, :]).sum(2)
    return out, torch.stack([position, log_len], 1), sel.sum(2) > 0


class FastPitch(nn.Module):
    def __init__(self, hp: HParams):
        super().__init__()
        self.hp = hp
        d = hp.fp_channels
        sep = hp.fp_conv == "separable"
        self.embedding = nn.Embedding(hp.n_symbols, d)
        self.encoder = ConvStack(d, hp.fp_kernel, list(hp.fp_encoder_dilations), hp.fp_dropout, False)
        self.duration_predictor = TemporalPredictor(d, hp.fp_predictor_filters, dropout=hp.fp_predictor_dropout)
        self.pitch_predictor = TemporalPredictor(d, hp.fp_predictor_filters, dropout=hp.fp_predictor_dropout)
        self.pitch_embedding = nn.Conv1d(1, d, 3, padding=1)
        self.energy_predictor = TemporalPredictor(d, hp.fp_predictor_filters, dropout=hp.fp_predictor_dropout)
        self.energy_embedding = nn.Conv1d(1, d, 3, padding=1)
        self.position = nn.Conv1d(2, d, 1)
        self.decoder = ConvStack(d, hp.fp_kernel, list(hp.fp_decoder_dilations), hp.fp_decoder_dropout, sep)
        self.proj = nn.Conv1d(d, hp.n_mel_channels, 1)
        nn.init.constant_(self.proj.bias, hp.fp_energy_mean)  # start at the data's mean level, not at 0 (= loud)
        self.aligner = AlignmentEncoder(hp.n_mel_channels, d)

    def encode(self, text, text_mask):
        m = text_mask[:, None, :].float()
        emb = self.embedding(text).transpose(1, 2) * m
        return emb, self.encoder(emb, m), m

    def decode(self, enc, durations, n_frames=None):
        x, pos, frame_mask = length_regulate(enc, durations, n_frames)
        fm = frame_mask[:, None, :].float()
        x = (x + self.position(pos)) * fm
        return self.proj(self.decoder(x, fm)) * fm, frame_mask

    def forward(self, text, text_lengths, mel, mel_lengths, pitch, prior):
        """Teacher-forced: durations from the alignment, pitch and energy from the recording.
        pitch [B, T] normalized log-f0 per frame with unvoiced frames at exactly 0 and `voiced` implied by ≠ 0."""
        text_mask = sequence_mask(text_lengths, text.size(1))
        emb, enc, m = self.encode(text, text_mask)
        attn_logprob, attn_soft = self.aligner(mel, emb, text_mask, prior)
        with torch.no_grad():
            hard = torch.from_numpy(monotonic_alignment_search(
                torch.log(attn_soft.float().clamp(min=1e-12)).cpu().numpy(), text_lengths.cpu().numpy(),
                mel_lengths.cpu().numpy())).to(mel.device)
            durations = durations_from_alignment(hard)
        log_dur_pred = self.duration_predictor(enc, m)
        frame_mask = sequence_mask(mel_lengths, mel.size(2)).float()
        voiced = (pitch != 0).float() * frame_mask
        pitch_target = average_per_symbol(pitch, durations, voiced)
        energy_frames = (mel.mean(1) - self.hp.fp_energy_mean) / self.hp.fp_energy_std
        energy_target = average_per_symbol(energy_frames * frame_mask, durations)
        pitch_pred = self.pitch_predictor(enc, m)
        energy_pred = self.energy_predictor(enc, m)
        cond = enc + self.pitch_embedding(pitch_target[:, None, :]) + self.energy_embedding(energy_target[:, None, :])
        mel_pred, _ = self.decode(cond * m, durations, mel.size(2))
        return {"mel": mel_pred, "log_dur_pred": log_dur_pred, "durations": durations, "pitch_pred": pitch_pred,
                "pitch_target": pitch_target, "energy_pred": energy_pred, "energy_target": energy_target,
                "attn_logprob": attn_logprob, "attn_soft": attn_soft, "attn_hard": hard}

    def predict_durations(self, log_dur, pace):
        """Frames per symbol from the predicted log(1 + frames), divided by pace (> 1 = faster), at least one frame each:
        alignment search gives every symbol ≥ 1 frame in training, and a mel of 0 frames is no speech at all."""
        return torch.clamp(torch.round((torch.exp(log_dur) - 1) / pace), min=1)

    def infer(self, text, pace: torch.Tensor, pitch_shift: torch.Tensor):
        """text [1, N] → (mel [1, n_mels, F], durations [1, N]); pace [1] (1 = as trained), pitch_shift [1] semitones."""
        text_mask = torch.ones_like(text, dtype=torch.bool)
        _, enc, m = self.encode(text, text_mask)
        durations = self.predict_durations(self.duration_predictor(enc, m), pace.reshape(1, 1))
        semitone = math.log(2.0) / 12.0 / self.hp.fp_pitch_std  # one semitone in normalized log-f0 units
        pitch = self.pitch_predictor(enc, m) + pitch_shift.reshape(1, 1) * semitone
        energy = self.energy_predictor(enc, m)
        cond = enc + self.pitch_embedding(pitch[:, None, :]) + self.energy_embedding(energy[:, None, :])
        mel, _ = self.decode(cond * m, durations)
        return mel, durations.long()


class FastPitchLoss(nn.Module):
    def __init__(self, hp: HParams):
        super().__init__()
        self.hp = hp

    def forward(self, out: dict, mel, text_lengths, mel_lengths, step: int):
        hp = self.hp
        frame_mask = sequence_mask(mel_lengths, mel.size(2)).float()[:, None, :]
        text_mask = sequence_mask(text_lengths, out["log_dur_pred"].size(1)).float()
        n_mel = frame_mask.sum() * mel.size(1)
        diff = (out["mel"] - mel) * frame_mask
        mel_loss = diff.abs().sum() / n_mel if hp.fp_mel_loss == "l1" else (diff ** 2).sum() / n_mel
        n_sym = text_mask.sum()
        log_dur_target = torch.log(out["durations"].float() + 1)
        dur_loss = (((out["log_dur_pred"] - log_dur_target) * text_mask) ** 2).sum() / n_sym
        pitch_loss = (((out["pitch_pred"] - out["pitch_target"]) * text_mask) ** 2).sum() / n_sym
        energy_loss = (((out["energy_pred"] - out["energy_target"]) * text_mask) ** 2).sum() / n_sym
        attn_loss = forward_sum_loss(out["attn_logprob"], text_lengths, mel_lengths)
        hard = out["attn_hard"]
        bin_loss = -(torch.log(out["attn_soft"].clamp(min=1e-12)) * hard).sum() / hard.sum()
        ramp = min(1.0, max(0.0, (step - hp.fp_bin_loss_start) / max(1, hp.fp_bin_loss_warmup)))
        total = (mel_loss + hp.fp_duration_weight * dur_loss + hp.fp_pitch_weight * pitch_loss
                 + hp.fp_energy_weight * energy_loss + hp.fp_attn_weight * attn_loss + ramp * hp.fp_bin_weight * bin_loss)
        return total, {"total": total, "mel": mel_loss, "duration": dur_loss, "pitch": pitch_loss, "energy": energy_loss,
                       "align": attn_loss, "bin": bin_loss}


def make_prior(text_lengths, mel_lengths, hp: HParams) -> torch.Tensor:
    return batch_prior(text_lengths, mel_lengths, hp.fp_prior_scaling)


def normalize_pitch(f0_hz: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Hz per frame (0 = unvoiced) → (ln f0 − mean) / std, unvoiced frames exactly 0."""
    out = np.zeros_like(f0_hz, dtype=np.float32)
    v = f0_hz > 0
    out[v] = (np.log(f0_hz[v]) - mean) / std
    out[v & (out == 0)] = 1e-4  # a voiced frame exactly at the mean must not read as unvoiced
    return out


@torch.no_grad()
def clip_alignment_scores(model: FastPitch, batches) -> list[dict]:
    """How well each clip's text explains its audio, by the learned alignment: the forward-sum loss per symbol
    (−log P(text | mel) / symbols) and the focus (mean peak of the soft attention per frame). `batches` yields
    TextMelPitchCollate batches. A clip whose transcript says something else than its audio cannot be aligned
    well: its loss stands far above the dataset's typical clip (see flag_misaligned)."""
    model.eval()
    out = []
    for ids, text, text_lengths, mels, mel_lengths, _, prior in batches:
        text_mask = sequence_mask(text_lengths, text.size(1))
        emb = model.embedding(text).transpose(1, 2) * text_mask[:, None, :].float()
        logprob, soft = model.aligner(mels, emb, text_mask, prior)
        loss = forward_sum_loss(logprob, text_lengths, mel_lengths, reduction="none")
        hard = monotonic_alignment_search(torch.log(soft.float().clamp(min=1e-12)).cpu().numpy(), text_lengths.cpu().numpy(),
                                          mel_lengths.cpu().numpy())
        longest = hard.sum(1).max(1)  # frames of the longest symbol: audio the text has no words for piles up on one
        for i, uid in enumerate(ids):
            t = int(mel_lengths[i])
            out.append({"id": uid, "loss": round(float(loss[i]), 4), "focus": round(float(soft[i, :t].max(1).values.mean()), 4),
                        "longest": int(longest[i])})
    return out


def _robust_z(values: np.ndarray) -> np.ndarray:
    med = float(np.median(values))
    mad = float(np.median(np.abs(values - med))) * 1.4826 or 1e-6
    return (values - med) / mad


def flag_misaligned(scores: list[dict], z_threshold: float = 3.5) -> list[dict]:
    """Marks clips whose text and audio most likely disagree, each by a robust z-score (median absolute deviation) over
    the dataset above `z_threshold`, with the reason in plain words:
    - the forward-sum loss per symbol (`z`): the text as a whole does not explain the audio (another sentence);
    - the longest symbol's frames (`z_longest`, in log frames): speech the text has no words for piles up on one
      symbol (words missing from the transcript, a cut that took the next sentence's first word)."""
    if not scores:
        return scores
    z = _robust_z(np.array([s["loss"] for s in scores]))
    zl = _robust_z(np.log(np.array([max(1, s.get("longest", 1)) for s in scores], dtype=np.float64)))
    for s, a, b in zip(scores, z, zl):
        s["z"], s["z_longest"] = round(float(a), 2), round(float(b), 2)
        reasons = []
        if a > z_threshold:
            reasons.append("the transcript as a whole does not match the audio")
        if b > z_threshold and "longest" in s:
            reasons.append(f"one sound of the transcript would last {s['longest']} frames: the audio holds speech the transcript "
                           "has no words for (a missing word, or a word of the next clip)")
        s["flagged"] = bool(reasons)
        s["reasons"] = reasons
    return scores
