"""Tacotron-2 (Shen et al. 2018) as the seed describes it, with NVIDIA/tacotron2's module names.

encoder: symbol embedding → 3 × (conv 5×1 + batch norm + ReLU + dropout 0.5) → 1 bidirectional LSTM
decoder: pre-net (2 × FC ReLU, dropout 0.5 also at inference) → attention LSTM → location-sensitive
         attention → decoder LSTM → linear projection to r mel frames + stop token ("gate")
post-net: 5 × conv 5×1 + batch norm (tanh on all but the last), added as a residual.

The decoder's one step is a pure function of explicit state (`Decoder.step`), so training, PyTorch
inference and the exported decoder_step.onnx all run the same code.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import nn
from torch.nn import functional as F

from .hparams import HParams
from .layers import ConvNorm, LinearNorm


class LocationLayer(nn.Module):
    def __init__(self, n_filters: int, kernel_size: int, attention_dim: int):
        super().__init__()
        self.location_conv = ConvNorm(2, n_filters, kernel_size=kernel_size, padding=(kernel_size - 1) // 2, bias=False)
        self.location_dense = LinearNorm(n_filters, attention_dim, bias=False, w_init_gain="tanh")

    def forward(self, attention_weights_cat: torch.Tensor) -> torch.Tensor:
        return self.location_dense(self.location_conv(attention_weights_cat).transpose(1, 2))


class Attention(nn.Module):
    """Location-sensitive attention: e = vᵀ tanh(W s + V h + U (F * [α_prev, Σα]))."""

    def __init__(self, attention_rnn_dim: int, embedding_dim: int, attention_dim: int, n_filters: int, kernel_size: int):
        super().__init__()
        self.query_layer = LinearNorm(attention_rnn_dim, attention_dim, bias=False, w_init_gain="tanh")
        self.memory_layer = LinearNorm(embedding_dim, attention_dim, bias=False, w_init_gain="tanh")
        self.v = LinearNorm(attention_dim, 1, bias=False)
        self.location_layer = LocationLayer(n_filters, kernel_size, attention_dim)

    def forward(self, query, memory, processed_memory, attention_weights_cat, mask=None):
        processed_query = self.query_layer(query.unsqueeze(1))
        processed_location = self.location_layer(attention_weights_cat)
        energies = self.v(torch.tanh(processed_query + processed_location + processed_memory)).squeeze(-1)
        if mask is not None:
            energies = energies.masked_fill(mask, -float("inf"))
        attention_weights = F.softmax(energies, dim=1)
        attention_context = torch.bmm(attention_weights.unsqueeze(1), memory).squeeze(1)
        return attention_context, attention_weights


class Prenet(nn.Module):
    """Two FC ReLU layers with dropout that stays on at inference (the paper's source of variation).
    With `masks` (0 or 1/(1−p) per unit) the dropout is explicit, so an exported graph is deterministic."""

    def __init__(self, in_dim: int, sizes: list[int], p: float = 0.5):
        super().__init__()
        in_sizes = [in_dim] + sizes[:-1]
        self.layers = nn.ModuleList([LinearNorm(i, o, bias=False) for i, o in zip(in_sizes, sizes)])
        self.p = p

    def forward(self, x: torch.Tensor, masks: list[torch.Tensor] | None = None) -> torch.Tensor:
        for i, linear in enumerate(self.layers):
            x = F.relu(linear(x))
            x = x * masks[i] if masks is not None else F.dropout(x, p=self.p, training=True)
        return x


class Postnet(nn.Module):
    def __init__(self, hp: HParams):
        super().__init__()
        n, k, d, m = hp.postnet_n_convolutions, hp.postnet_kernel_size, hp.postnet_embedding_dim, hp.n_mel_channels
        self.convolutions = nn.ModuleList()
        for i in range(n):
            cin = m if i == 0 else d
            cout = m if i == n - 1 else d
            gain = "linear" if i == n - 1 else "tanh"
            self.convolutions.append(nn.Sequential(ConvNorm(cin, cout, kernel_size=k, w_init_gain=gain), nn.BatchNorm1d(cout)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        last = len(self.convolutions) - 1
        for i, conv in enumerate(self.convolutions):
            y = conv(x)
            x = F.dropout(y if i == last else torch.tanh(y), 0.5, self.training)
        return x


class Encoder(nn.Module):
    def __init__(self, hp: HParams):
        super().__init__()
        e = hp.encoder_embedding_dim
        self.convolutions = nn.ModuleList([
            nn.Sequential(ConvNorm(e, e, kernel_size=hp.encoder_kernel_size, w_init_gain="relu"), nn.BatchNorm1d(e))
            for _ in range(hp.encoder_n_convolutions)
        ])
        self.lstm = nn.LSTM(e, e // 2, 1, batch_first=True, bidirectional=True)

    def _convs(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convolutions:
            x = F.dropout(F.relu(conv(x)), 0.5, self.training)
        return x.transpose(1, 2)

    def forward(self, x: torch.Tensor, input_lengths: torch.Tensor) -> torch.Tensor:
        x = self._convs(x)
        packed = nn.utils.rnn.pack_padded_sequence(x, input_lengths.cpu(), batch_first=True, enforce_sorted=False)
        self.lstm.flatten_parameters()
        outputs, _ = self.lstm(packed)
        outputs, _ = nn.utils.rnn.pad_packed_sequence(outputs, batch_first=True, total_length=x.size(1))
        return outputs

    def inference(self, x: torch.Tensor) -> torch.Tensor:
        outputs, _ = self.lstm(self._convs(x))
        return outputs


class DecoderState(NamedTuple):
    """Everything the decoder carries from one step to the next (the ONNX graph's state I/O)."""
    attention_hidden: torch.Tensor
    attention_cell: torch.Tensor
    decoder_hidden: torch.Tensor
    decoder_cell: torch.Tensor
    attention_weights: torch.Tensor
    attention_weights_cum: torch.Tensor
    attention_context: torch.Tensor


class Decoder(nn.Module):
    def __init__(self, hp: HParams):
        super().__init__()
        self.n_mel_channels = hp.n_mel_channels
        self.n_frames_per_step = hp.n_frames_per_step
        self.encoder_embedding_dim = hp.encoder_embedding_dim
        self.attention_rnn_dim = hp.attention_rnn_dim
        self.decoder_rnn_dim = hp.decoder_rnn_dim
        self.prenet_dim = hp.prenet_dim
        self.max_decoder_steps = hp.max_decoder_steps
        self.max_decoder_steps_per_symbol = hp.max_decoder_steps_per_symbol
        self.gate_threshold = hp.gate_threshold
        self.p_attention_dropout = hp.p_attention_dropout
        self.p_decoder_dropout = hp.p_decoder_dropout

        # The pre-net sees the last frame of the previous step (r frames are predicted per step).
        self.prenet = Prenet(hp.n_mel_channels, [hp.prenet_dim, hp.prenet_dim], hp.p_prenet_dropout)
        self.attention_rnn = nn.LSTMCell(hp.prenet_dim + hp.encoder_embedding_dim, hp.attention_rnn_dim)
        self.attention_layer = Attention(hp.attention_rnn_dim, hp.encoder_embedding_dim, hp.attention_dim,
                                         hp.attention_location_n_filters, hp.attention_location_kernel_size)
        self.decoder_rnn = nn.LSTMCell(hp.attention_rnn_dim + hp.encoder_embedding_dim, hp.decoder_rnn_dim, True)
        self.linear_projection = LinearNorm(hp.decoder_rnn_dim + hp.encoder_embedding_dim,
                                            hp.n_mel_channels * hp.n_frames_per_step)
        self.gate_layer = LinearNorm(hp.decoder_rnn_dim + hp.encoder_embedding_dim, 1, bias=True, w_init_gain="sigmoid")

    def initial_state(self, memory: torch.Tensor) -> DecoderState:
        b, t, _ = memory.shape
        z = lambda *s: memory.new_zeros(*s)  # noqa: E731
        return DecoderState(z(b, self.attention_rnn_dim), z(b, self.attention_rnn_dim), z(b, self.decoder_rnn_dim),
                            z(b, self.decoder_rnn_dim), z(b, t), z(b, t), z(b, self.encoder_embedding_dim))

    def step(self, prenet_out: torch.Tensor, state: DecoderState, memory: torch.Tensor,
             processed_memory: torch.Tensor, mask: torch.Tensor | None = None):
        """One decoder step → (r frames flat [B, r·nMels], gate logit [B, 1], new state)."""
        cell_input = torch.cat((prenet_out, state.attention_context), -1)
        attention_hidden, attention_cell = self.attention_rnn(cell_input, (state.attention_hidden, state.attention_cell))
        attention_hidden = F.dropout(attention_hidden, self.p_attention_dropout, self.training)
        weights_cat = torch.cat((state.attention_weights.unsqueeze(1), state.attention_weights_cum.unsqueeze(1)), dim=1)
        attention_context, attention_weights = self.attention_layer(attention_hidden, memory, processed_memory, weights_cat, mask)
        attention_weights_cum = state.attention_weights_cum + attention_weights
        decoder_rnn_input = torch.cat((attention_hidden, attention_context), -1)
        decoder_hidden, decoder_cell = self.decoder_rnn(decoder_rnn_input, (state.decoder_hidden, state.decoder_cell))
        decoder_hidden = F.dropout(decoder_hidden, self.p_decoder_dropout, self.training)
        hidden_context = torch.cat((decoder_hidden, attention_context), dim=1)
        frames = self.linear_projection(hidden_context)
        gate = self.gate_layer(hidden_context)
        new_state = DecoderState(attention_hidden, attention_cell, decoder_hidden, decoder_cell,
                                 attention_weights, attention_weights_cum, attention_context)
        return frames, gate, new_state

    def _parse_outputs(self, frames: list, gates: list, alignments: list):
        b = frames[0].size(0)
        mel = torch.stack(frames, dim=1).view(b, -1, self.n_mel_channels).transpose(1, 2)  # [B, nMels, steps·r]
        gate = torch.cat(gates, dim=1)  # [B, steps]
        align = torch.stack(alignments, dim=1)  # [B, steps, T_in]
        return mel, gate, align

    def forward(self, memory: torch.Tensor, mels: torch.Tensor, memory_lengths: torch.Tensor):
        """Teacher forcing. mels: [B, nMels, T_out] with T_out a multiple of r."""
        r = self.n_frames_per_step
        last_of_group = mels[:, :, r - 1::r].permute(2, 0, 1)  # [steps, B, nMels]
        go = memory.new_zeros(1, memory.size(0), self.n_mel_channels)
        decoder_inputs = torch.cat((go, last_of_group[:-1]), dim=0)
        prenet_out = self.prenet(decoder_inputs)
        processed_memory = self.attention_layer.memory_layer(memory)
        mask = ~get_mask_from_lengths(memory_lengths, memory.size(1))
        state = self.initial_state(memory)
        frames, gates, aligns = [], [], []
        for t in range(prenet_out.size(0)):
            f, g, state = self.step(prenet_out[t], state, memory, processed_memory, mask)
            frames.append(f)
            gates.append(g)
            aligns.append(state.attention_weights)
        return self._parse_outputs(frames, gates, aligns)

    def max_steps_for(self, n_symbols: int) -> int:
        return int(min(self.max_decoder_steps, math.ceil(n_symbols * self.max_decoder_steps_per_symbol)))

    @torch.no_grad()
    def inference(self, memory: torch.Tensor, prenet_masks: list | None = None, max_steps: int | None = None):
        """Batch-1 free running until the gate fires. `prenet_masks(step)` may supply explicit dropout masks."""
        processed_memory = self.attention_layer.memory_layer(memory)
        state = self.initial_state(memory)
        decoder_input = memory.new_zeros(memory.size(0), self.n_mel_channels)
        frames, gates, aligns = [], [], []
        limit = self.max_steps_for(memory.size(1))
        for t in range(limit if max_steps is None else min(limit, max_steps)):
            masks = prenet_masks(t) if prenet_masks is not None else None
            f, g, state = self.step(self.prenet(decoder_input, masks), state, memory, processed_memory)
            frames.append(f)
            gates.append(g)
            aligns.append(state.attention_weights)
            if torch.sigmoid(g).item() > self.gate_threshold:
                break
            decoder_input = f[:, -self.n_mel_channels:]
        return self._parse_outputs(frames, gates, aligns)


def get_mask_from_lengths(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    max_len = int(lengths.max().item()) if max_len is None else max_len
    ids = torch.arange(0, max_len, device=lengths.device)
    return ids.unsqueeze(0) < lengths.unsqueeze(1)


class Tacotron2(nn.Module):
    def __init__(self, hp: HParams):
        super().__init__()
        if hp.n_symbols <= 0:
            raise ValueError("Tacotron2: n_symbols must be set (from the symbol table)")
        self.hp = hp
        self.mask_padding = hp.mask_padding
        self.n_mel_channels = hp.n_mel_channels
        self.n_frames_per_step = hp.n_frames_per_step
        self.embedding = nn.Embedding(hp.n_symbols, hp.symbols_embedding_dim)
        std = math.sqrt(2.0 / (hp.n_symbols + hp.symbols_embedding_dim))
        self.embedding.weight.data.uniform_(-math.sqrt(3.0) * std, math.sqrt(3.0) * std)
        self.encoder = Encoder(hp)
        self.decoder = Decoder(hp)
        self.postnet = Postnet(hp)

    def forward(self, text, text_lengths, mels, mel_lengths):
        embedded = self.embedding(text).transpose(1, 2)
        memory = self.encoder(embedded, text_lengths)
        mel_out, gate_out, alignments = self.decoder(memory, mels, text_lengths)
        mel_post = mel_out + self.postnet(mel_out)
        if self.mask_padding:
            frame_mask = ~get_mask_from_lengths(mel_lengths, mel_out.size(2))
            mel_out = mel_out.masked_fill(frame_mask.unsqueeze(1), 0.0)
            mel_post = mel_post.masked_fill(frame_mask.unsqueeze(1), 0.0)
        return mel_out, mel_post, gate_out, alignments

    def encode(self, text: torch.Tensor):
        """Encoder graph: text ids [1,T] → memory [1,T,E], processed_memory [1,T,attentionDim]."""
        memory = self.encoder.inference(self.embedding(text).transpose(1, 2))
        return memory, self.decoder.attention_layer.memory_layer(memory)

    @torch.no_grad()
    def inference(self, text: torch.Tensor, prenet_masks=None, max_steps: int | None = None):
        memory, _ = self.encode(text)
        mel_out, gate_out, alignments = self.decoder.inference(memory, prenet_masks, max_steps)
        return mel_out, mel_out + self.postnet(mel_out), gate_out, alignments


class Tacotron2Loss(nn.Module):
    """MSE (+ L1 with mel_loss "l1+mse") on mel before and after the post-net + BCE on the stop token
    (+ guided attention). parts["mel"] is always the MSE part, so runs with either loss compare."""

    def __init__(self, hp: HParams):
        super().__init__()
        self.hp = hp

    def forward(self, outputs, targets, text_lengths, mel_lengths, step: int):
        mel_out, mel_post, gate_out, alignments = outputs
        mel_target, gate_target = targets
        mel_loss = F.mse_loss(mel_out, mel_target) + F.mse_loss(mel_post, mel_target)
        pos_weight = torch.tensor(self.hp.gate_pos_weight, device=gate_out.device)
        gate_loss = F.binary_cross_entropy_with_logits(gate_out, gate_target, pos_weight=pos_weight)
        parts = {"mel": mel_loss, "gate": gate_loss}
        total = mel_loss + gate_loss
        if self.hp.mel_loss == "l1+mse":
            l1 = F.l1_loss(mel_out, mel_target) + F.l1_loss(mel_post, mel_target)
            parts["mel_l1"] = l1
            total = total + l1
        if self.hp.guided_attention:
            w = self.hp.guided_attention_weight
            if self.hp.guided_attention_decay_steps > 0:
                w *= max(0.0, 1.0 - step / self.hp.guided_attention_decay_steps)
            if w > 0:
                steps = torch.div(mel_lengths + self.hp.n_frames_per_step - 1, self.hp.n_frames_per_step, rounding_mode="floor")
                ga = guided_attention_loss(alignments, text_lengths, steps, self.hp.guided_attention_sigma)
                parts["guided_attention"] = ga
                total = total + w * ga
        parts["total"] = total
        return total, parts


def guided_attention_loss(alignments: torch.Tensor, text_lengths: torch.Tensor, decoder_lengths: torch.Tensor, sigma: float):
    """Σₙ A[t,n]·W[t,n] averaged over valid decoder steps t, W[t,n] = 1 − exp(−(n/N − t/T)² / 2σ²)
    (Tachibana et al. 2017): the attention mass off the diagonal band, in [0, 1] per step. (The mean over all
    T×N cells is 1/N as large: at N ≈ 100 symbols it was too weak to pull the attention onto the diagonal.)"""
    b, t_max, n_max = alignments.shape
    t = torch.arange(t_max, device=alignments.device).float().unsqueeze(0) / decoder_lengths.float().unsqueeze(1)  # [B,T]
    n = torch.arange(n_max, device=alignments.device).float().unsqueeze(0) / text_lengths.float().unsqueeze(1)  # [B,N]
    w = 1.0 - torch.exp(-((n.unsqueeze(1) - t.unsqueeze(2)) ** 2) / (2 * sigma ** 2))
    valid = get_mask_from_lengths(decoder_lengths, t_max).unsqueeze(2) & get_mask_from_lengths(text_lengths, n_max).unsqueeze(1)
    steps = get_mask_from_lengths(decoder_lengths, t_max)
    return (alignments.float() * w * valid).sum() / steps.sum().clamp(min=1)
