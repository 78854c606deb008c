"""Mel spectrograms exactly as shared/dsp/mel.ts computes them (presets read from shared/dsp/melPresets.json, which
melPresets.ts reads too; tests/test_audio.py checks both against shared/dsp/testvectors within 1e-4).

    x → pre-emphasis → pad nFft/2 (reflect|zeros) → periodic Hann(winLength) centred in nFft, every hop
      → |rFFT|^p → mel filterbank (librosa.filters.mel semantics) → 'ln' or 'db' (+ symmetric) compression
Computed in float64 with numpy (features are cached, speed matters little), returned as float32.
"""
from __future__ import annotations

import copy
import json
import math
import os

import numpy as np

from . import shared_json

# MEL_PRESETS of shared/dsp/melPresets.ts, read from the JSON file both sides share (voice.json embeds these objects).
PRESETS: dict[str, dict] = shared_json.load(shared_json.MEL_PRESETS)


def get_preset(name_or_preset) -> dict:
    """A preset by name, or a preset object (e.g. embedded in voice.json / a checkpoint) as is."""
    if isinstance(name_or_preset, dict):
        return name_or_preset
    if name_or_preset in PRESETS:
        return copy.deepcopy(PRESETS[name_or_preset])
    if isinstance(name_or_preset, str) and os.path.isfile(name_or_preset):
        with open(name_or_preset, encoding="utf-8") as f:
            return json.load(f)
    raise ValueError(f"unknown mel preset {name_or_preset!r} (known: {', '.join(PRESETS)})")


# ---- mel scale (librosa.hz_to_mel / mel_to_hz) ----
def hz_to_mel(f, htk: bool):
    f = np.asarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, math.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, mels)


def mel_to_hz(m, htk: bool):
    m = np.asarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, math.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filterbank(p: dict) -> np.ndarray:
    """[nMels, nFft/2+1], librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm)."""
    htk = p["melScale"] == "htk"
    n_fft, n_mels = int(p["nFft"]), int(p["nMels"])
    fftfreqs = np.linspace(0, p["sampleRate"] / 2, 1 + n_fft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(p["fmin"], htk), hz_to_mel(p["fmax"], htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    if p.get("melNorm") == "slaney":
        weights *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return weights


def window(p: dict) -> np.ndarray:
    """Periodic Hann of winLength, zero-padded to nFft and centred (librosa.util.pad_center)."""
    n_fft, win = int(p["nFft"]), int(p["winLength"])
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)
    lpad = (n_fft - win) // 2
    out = np.zeros(n_fft)
    out[lpad:lpad + win] = w
    return out


def stft_magnitude(x: np.ndarray, p: dict) -> np.ndarray:
    """|STFT|^magnitudePower, [nFft/2+1, frames]."""
    n_fft, hop = int(p["nFft"]), int(p["hopLength"])
    x = np.asarray(x, dtype=np.float64)
    if p.get("center", True):
        mode = "reflect" if p.get("padMode", "reflect") == "reflect" else "constant"
        if mode == "reflect" and len(x) <= n_fft // 2:
            mode = "constant"  # numpy reflect needs more samples than the pad
        x = np.pad(x, n_fft // 2, mode=mode)
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    n_frames = 1 + (len(x) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    spec = np.abs(np.fft.rfft(x[idx] * window(p)[None, :], axis=1)).T
    power = float(p.get("magnitudePower", 1))
    return spec if power == 1 else spec ** power


def compress(mel: np.ndarray, p: dict) -> np.ndarray:
    c = p["compression"]
    if c["type"] == "ln":
        return np.log(np.maximum(mel, c["clampMin"]))
    s = 20.0 * np.log10(np.maximum(mel, 10.0 ** (c["minLevelDb"] / 20.0))) - c["refLevelDb"]
    norm = c.get("normalize")
    if norm:
        m, lo = norm["maxAbsValue"], c["minLevelDb"]
        s = 2 * m * (s - lo) / (-lo) - m
        if norm.get("clip", True):
            s = np.clip(s, -m, m)
    return s


def mel_spectrogram(samples: np.ndarray, preset="nvidia") -> np.ndarray:
    """samples: float in −1..1 at the preset's sample rate → mel [nMels, frames] float32."""
    p = get_preset(preset)
    x = np.asarray(samples, dtype=np.float64)
    k = float(p.get("preemphasis", 0))
    if k:
        x = np.concatenate([x[:1], x[1:] - k * x[:-1]])
    mel = mel_filterbank(p) @ stft_magnitude(x, p)
    return compress(mel, p).astype(np.float32)


def silence_value(preset="nvidia") -> float:
    """The feature value of digital silence (what padding frames should look like)."""
    return float(compress(np.zeros((1, 1)), get_preset(preset))[0, 0])


def load_wav(path: str, expected_rate: int | None = None) -> tuple[np.ndarray, int]:
    """Mono float32 in −1..1 (int16 / 32768, NVIDIA's max_wav_value)."""
    try:
        import soundfile as sf
    except (ImportError, OSError):  # e.g. Debian's python3-torch fallback without python3-soundfile
        data, rate = _read_pcm_wav(path)
    else:
        try:
            data, rate = sf.read(path, dtype="float32", always_2d=True)
        except Exception as e:  # soundfile raises several types for bad files
            raise ValueError(f"{path}: cannot read audio ({e})") from e
    if data.shape[1] != 1:
        data = data.mean(axis=1, keepdims=True)
    if expected_rate is not None and rate != expected_rate:
        raise ValueError(f"{path}: sample rate {rate} Hz, the mel preset expects {expected_rate} Hz "
                         "(prepare the dataset with `formant export`, which resamples)")
    return data[:, 0], rate


def _read_pcm_wav(path: str) -> tuple[np.ndarray, int]:
    """Standard-library reader for PCM WAV (what `formant export` writes: 16-bit mono)."""
    import wave
    try:
        with wave.open(path, "rb") as w:
            rate, ch, width, n = w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()
            raw = w.readframes(n)
    except (wave.Error, EOFError, OSError) as e:
        raise ValueError(f"{path}: cannot read audio ({e}; install soundfile for float/24-bit WAVs)") from e
    if width == 2:
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 4:
        x = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    elif width == 1:
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    else:
        raise ValueError(f"{path}: {8 * width}-bit PCM needs the soundfile package")
    return x.reshape(-1, ch), rate


def trim_silence(x: np.ndarray, rate: int, top_db: float = 40.0, keep_seconds: float = 0.05,
                 frame: int = 1024, hop: int = 256) -> np.ndarray:
    """Drops leading/trailing audio quieter than (peak RMS − top_db), keeping a small margin
    (librosa.effects.trim semantics). The 0.5 s pads of the exported dataset would otherwise teach
    the decoder long silences and delay alignment."""
    if len(x) < frame:
        return x
    n = 1 + (len(x) - frame) // hop
    idx = np.arange(frame)[None, :] + hop * np.arange(n)[:, None]
    rms = np.sqrt(np.mean(x[idx].astype(np.float64) ** 2, axis=1))
    db = 20 * np.log10(np.maximum(rms, 1e-10))
    loud = np.nonzero(db > db.max() - top_db)[0]
    if len(loud) == 0:
        return x
    keep = int(keep_seconds * rate)
    start = max(0, loud[0] * hop - keep)
    end = min(len(x), loud[-1] * hop + frame + keep)
    return x[start:end]
