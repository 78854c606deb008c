"""WaveGlow inference outside the app (the app runs waveglow.onnx): mel .npy → WAV, sigma 0.6 by default,
fp16 on CUDA (as NVIDIA's inference.py --is_fp16), optional denoiser (bias removal)."""
from __future__ import annotations

import numpy as np
import torch

from . import checkpoint as ckpt
from .export_onnx import load_model
from .waveglow import Denoiser


def write_wav(path: str, audio: np.ndarray, rate: int) -> None:
    import wave
    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")

    def write(f):
        with wave.open(f, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm.tobytes())
    ckpt.atomic_write_bytes(path, write)


@torch.no_grad()
def vocode(mel_path: str, checkpoint_path: str, out_path: str, sigma: float = 0.6, fp16: bool | None = None,
           denoise: float = 0.0, seed: int = 0) -> dict:
    from .published import as_state
    state = ckpt.load(checkpoint_path)
    if isinstance(state, dict) and state.get("model_name") not in (None, "waveglow"):
        raise ValueError(f"{checkpoint_path}: not a WaveGlow checkpoint (a {state.get('model_name')} one)")
    state = as_state(state, "waveglow", checkpoint_path)  # this trainer's, or NVIDIA's published file
    model, hp = load_model(state, "waveglow")
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    fp16 = device.type == "cuda" if fp16 is None else (fp16 and device.type == "cuda")
    model = model.to(device)
    mel = torch.from_numpy(np.load(mel_path).astype(np.float32))
    if mel.dim() == 2:
        mel = mel.unsqueeze(0)
    if mel.size(1) != hp.n_mel_channels:
        raise ValueError(f"{mel_path}: expected [{hp.n_mel_channels}, frames], got {list(mel.shape)}")
    mel = mel.to(device)
    denoiser = Denoiser(model).to(device) if denoise > 0 else None
    if fp16:
        model = model.half()
        mel = mel.half()
    gen = torch.Generator().manual_seed(seed)
    audio = model.infer(mel, sigma=sigma, generator=gen).float()
    if denoiser is not None:
        audio = denoiser(audio, strength=denoise)
    audio = audio[0].cpu().numpy()
    write_wav(out_path, audio, hp.sampling_rate)
    return {"out": out_path, "seconds": round(len(audio) / hp.sampling_rate, 3), "fp16": fp16, "device": str(device)}
