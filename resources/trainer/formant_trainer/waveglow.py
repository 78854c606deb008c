"""WaveGlow (Prenger et al. 2019) with NVIDIA/waveglow's module names (glow.py), so published
`waveglow_256channels` state dicts load key for key: upsample, WN.{k}.start/end/cond_layer/in_layers/
res_skip_layers (weight-normalized: weight_g, weight_v), convinv.{k}.conv.

Weight norm is spelled out here (WNConv1d) instead of torch.nn.utils.weight_norm, whose parameter names
changed across torch versions (parametrizations in 2.x); the keys stay NVIDIA's on torch 1.13 … 2.x.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .hparams import HParams


class WNConv1d(nn.Module):
    """Conv1d with weight = g · v / ‖v‖ (norm over all dims but the output channel)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 1, dilation: int = 1, padding: int = 0):
        super().__init__()
        conv = nn.Conv1d(in_channels, out_channels, kernel_size, dilation=dilation, padding=padding)
        self.dilation, self.padding = dilation, padding
        self.weight_v = nn.Parameter(conv.weight.detach().clone())
        self.weight_g = nn.Parameter(conv.weight.detach().norm(dim=(1, 2), keepdim=True).clone())
        self.bias = nn.Parameter(conv.bias.detach().clone())

    def weight(self) -> torch.Tensor:
        return self.weight_g * self.weight_v / self.weight_v.norm(dim=(1, 2), keepdim=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv1d(x, self.weight(), self.bias, dilation=self.dilation, padding=self.padding)


def fused_add_tanh_sigmoid_multiply(a: torch.Tensor, b: torch.Tensor, n_channels: int) -> torch.Tensor:
    acts = a + b
    return torch.tanh(acts[:, :n_channels]) * torch.sigmoid(acts[:, n_channels:])


class WN(nn.Module):
    """WaveNet-like affine coupling network: dilated convs conditioned on the upsampled mel."""

    def __init__(self, n_in_channels: int, n_mel_channels: int, n_layers: int, n_channels: int, kernel_size: int):
        super().__init__()
        assert kernel_size % 2 == 1 and n_channels % 2 == 0
        self.n_layers, self.n_channels = n_layers, n_channels
        self.in_layers = nn.ModuleList()
        self.res_skip_layers = nn.ModuleList()
        self.start = WNConv1d(n_in_channels, n_channels, 1)
        # The last layer outputs both halves of an affine transform; zero-init starts as identity.
        end = nn.Conv1d(n_channels, 2 * n_in_channels, 1)
        end.weight.data.zero_()
        end.bias.data.zero_()
        self.end = end
        self.cond_layer = WNConv1d(n_mel_channels, 2 * n_channels * n_layers, 1)
        for i in range(n_layers):
            dilation = 2 ** i
            padding = int((kernel_size * dilation - dilation) / 2)
            self.in_layers.append(WNConv1d(n_channels, 2 * n_channels, kernel_size, dilation=dilation, padding=padding))
            res_skip = 2 * n_channels if i < n_layers - 1 else n_channels
            self.res_skip_layers.append(WNConv1d(n_channels, res_skip, 1))

    def forward(self, audio: torch.Tensor, spect: torch.Tensor) -> torch.Tensor:
        audio = self.start(audio)
        output = torch.zeros_like(audio)
        spect = self.cond_layer(spect)
        c = self.n_channels
        for i in range(self.n_layers):
            acts = fused_add_tanh_sigmoid_multiply(self.in_layers[i](audio), spect[:, i * 2 * c:(i + 1) * 2 * c], c)
            res_skip = self.res_skip_layers[i](acts)
            if i < self.n_layers - 1:
                audio = audio + res_skip[:, :c]
                output = output + res_skip[:, c:]
            else:
                output = output + res_skip
        return self.end(output)


class Invertible1x1Conv(nn.Module):
    """Channel mixing with an orthonormal-initialised matrix W (log |det W| enters the likelihood)."""

    def __init__(self, c: int):
        super().__init__()
        self.conv = nn.Conv1d(c, c, kernel_size=1, stride=1, padding=0, bias=False)
        W = torch.linalg.qr(torch.randn(c, c))[0]
        if torch.det(W) < 0:
            W[:, 0] = -1 * W[:, 0]
        self.conv.weight.data = W.view(c, c, 1).contiguous()

    def forward(self, z: torch.Tensor):
        b, _, n = z.shape
        W = self.conv.weight.squeeze(-1)
        log_det_W = b * n * torch.logdet(W.float())
        return self.conv(z), log_det_W

    def inverse_weight(self) -> torch.Tensor:
        return torch.inverse(self.conv.weight.squeeze(-1).float()).unsqueeze(-1)


class WaveGlow(nn.Module):
    def __init__(self, hp: HParams):
        super().__init__()
        from .audio import get_preset
        preset = get_preset(hp.mel_preset)
        win, hop = int(preset["winLength"]), int(preset["hopLength"])
        self.hop_length = hop
        self.upsample = nn.ConvTranspose1d(hp.n_mel_channels, hp.n_mel_channels, win, stride=hop)
        assert hp.wg_n_group % 2 == 0
        self.n_flows, self.n_group = hp.wg_n_flows, hp.wg_n_group
        self.n_early_every, self.n_early_size = hp.wg_n_early_every, hp.wg_n_early_size
        self.WN = nn.ModuleList()
        self.convinv = nn.ModuleList()
        n_half = hp.wg_n_group // 2
        n_remaining = hp.wg_n_group
        for k in range(hp.wg_n_flows):
            if k % self.n_early_every == 0 and k > 0:
                n_half -= self.n_early_size // 2
                n_remaining -= self.n_early_size
            self.convinv.append(Invertible1x1Conv(n_remaining))
            self.WN.append(WN(n_half, hp.n_mel_channels * hp.wg_n_group, hp.wg_n_layers, hp.wg_n_channels, hp.wg_kernel_size))
        self.n_remaining_channels = n_remaining

    def _grouped_spect(self, spect: torch.Tensor, n_samples: int) -> torch.Tensor:
        """Upsample the mel to audio rate and fold it into groups: [B, nMels·nGroup, n_samples/nGroup]."""
        spect = self.upsample(spect)[:, :, :n_samples]
        b, c = spect.size(0), spect.size(1)
        # == spect.unfold(2, g, g) (NVIDIA), spelled with reshapes so it exports to ONNX with a dynamic length
        spect = spect.reshape(b, c, -1, self.n_group).permute(0, 2, 1, 3)
        return spect.reshape(b, spect.size(1), c * self.n_group).permute(0, 2, 1)

    def forward(self, spect: torch.Tensor, audio: torch.Tensor):
        """Training direction: audio [B, S] → z, log s per flow, log det W per flow."""
        spect = self._grouped_spect(spect, audio.size(1))
        audio = audio.unfold(1, self.n_group, self.n_group).permute(0, 2, 1)
        output_audio, log_s_list, log_det_W_list = [], [], []
        for k in range(self.n_flows):
            if k % self.n_early_every == 0 and k > 0:
                output_audio.append(audio[:, :self.n_early_size])
                audio = audio[:, self.n_early_size:]
            audio, log_det_W = self.convinv[k](audio)
            log_det_W_list.append(log_det_W)
            n_half = audio.size(1) // 2
            audio_0, audio_1 = audio[:, :n_half], audio[:, n_half:]
            output = self.WN[k](audio_0, spect)
            log_s, b = output[:, n_half:], output[:, :n_half]
            audio_1 = torch.exp(log_s) * audio_1 + b
            log_s_list.append(log_s)
            audio = torch.cat([audio_0, audio_1], 1)
        output_audio.append(audio)
        return torch.cat(output_audio, 1), log_s_list, log_det_W_list

    def infer_with_z(self, spect: torch.Tensor, z: torch.Tensor, sigma: torch.Tensor, inverse_weights=None) -> torch.Tensor:
        """Inverse direction with explicit noise: z [B, nGroup, F·hop/nGroup] standard normal (the same
        channel layout the forward pass produces: early outputs first), scaled by sigma → audio [B, F·hop]."""
        n_samples = spect.size(2) * self.hop_length
        spect = self._grouped_spect(spect, n_samples)
        z = z * sigma.view(-1, 1, 1)
        n_early_total = self.n_group - self.n_remaining_channels
        audio = z[:, n_early_total:]
        used = n_early_total
        for k in reversed(range(self.n_flows)):
            n_half = audio.size(1) // 2
            audio_0, audio_1 = audio[:, :n_half], audio[:, n_half:]
            output = self.WN[k](audio_0, spect)
            s, b = output[:, n_half:], output[:, :n_half]
            audio_1 = (audio_1 - b) / torch.exp(s)
            audio = torch.cat([audio_0, audio_1], 1)
            w_inv = inverse_weights[k] if inverse_weights is not None else self.convinv[k].inverse_weight()
            audio = F.conv1d(audio, w_inv.to(audio.dtype))
            if k % self.n_early_every == 0 and k > 0:
                audio = torch.cat((z[:, used - self.n_early_size:used], audio), 1)
                used -= self.n_early_size
        return audio.permute(0, 2, 1).contiguous().view(audio.size(0), -1)

    @torch.no_grad()
    def infer(self, spect: torch.Tensor, sigma: float = 0.6, generator: torch.Generator | None = None) -> torch.Tensor:
        n = spect.size(2) * self.hop_length // self.n_group
        z = torch.randn(spect.size(0), self.n_group, n, generator=generator, device=spect.device if generator is None else "cpu")
        z = z.to(spect.device, spect.dtype)
        return self.infer_with_z(spect, z, torch.tensor([sigma], device=spect.device, dtype=spect.dtype))


class WaveGlowLoss(nn.Module):
    """Negative log-likelihood per dimension: ‖z‖²/2σ² − Σ log s − Σ log|det W|."""

    def __init__(self, sigma: float = 1.0):
        super().__init__()
        self.sigma = sigma

    def forward(self, model_output):
        z, log_s_list, log_det_W_list = model_output
        log_s_total = sum(torch.sum(s) for s in log_s_list)
        log_det_W_total = sum(log_det_W_list)
        loss = torch.sum(z * z) / (2 * self.sigma * self.sigma) - log_s_total - log_det_W_total
        return loss / (z.size(0) * z.size(1) * z.size(2))


class Denoiser(nn.Module):
    """Removes WaveGlow's constant bias (its output for a zero mel) by spectral subtraction (NVIDIA denoiser.py)."""

    def __init__(self, waveglow: WaveGlow, n_fft: int = 1024, hop: int = 256, mode: str = "zeros"):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        p = next(waveglow.parameters())
        n_mels = waveglow.upsample.in_channels
        mel_input = torch.zeros(1, n_mels, 88, dtype=p.dtype, device=p.device) if mode == "zeros" else \
            torch.randn(1, n_mels, 88, dtype=p.dtype, device=p.device)
        with torch.no_grad():
            bias_audio = waveglow.infer(mel_input, sigma=0.0).float()
            bias_spec = self._stft(bias_audio)[0].abs()
        self.register_buffer("bias_spec", bias_spec[:, :1], persistent=False)  # [freq, 1]

    def _stft(self, audio):
        return torch.stft(audio, self.n_fft, self.hop, window=self.window.to(audio.device), return_complex=True)

    def forward(self, audio: torch.Tensor, strength: float = 0.1) -> torch.Tensor:
        spec = self._stft(audio.float())
        mag = (spec.abs() - self.bias_spec * strength).clamp(min=0.0)
        spec = torch.polar(mag, torch.angle(spec))
        return torch.istft(spec, self.n_fft, self.hop, window=self.window.to(audio.device), length=audio.size(-1))
