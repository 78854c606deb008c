"""Reference mel spectrograms in NumPy (float64), written from librosa's and the two Tacotron-2
codebases' formulas, independently of the TypeScript code in shared/dsp. It generates the test
vectors next to it; the TS spec (testvectors.spec.ts) and the Python trainer must reproduce them.

Presets (see shared/dsp/melPresets.ts):
  nvidia: NVIDIA/tacotron2 TacotronSTFT — reflect pad 512, periodic Hann 1024, |rfft|, librosa mel
          (Slaney, norm='slaney', 0-8000 Hz), ln(clamp(x, 1e-5)).
  seed:   Rayhane-mamah/Tacotron-2 audio.melspectrogram — preemphasis 0.97, librosa.stft
          (n_fft 2048, hop 275, win 1100 periodic Hann centred in 2048, center=True, zero pad),
          |.|, mel 55-7600 Hz, 20*log10(max(1e-5, x)) - 20, symmetric normalization to [-4, 4], clipped.
Run:  python3 reference_mel.py   (needs only numpy; writes *.npy next to the wavs)
"""
import sys
import wave
from pathlib import Path

import numpy as np

PRESETS = {
    "nvidia": dict(sr=22050, n_fft=1024, hop=256, win=1024, pad_mode="reflect", n_mels=80, fmin=0.0, fmax=8000.0,
                   preemph=0.0, compression="ln"),
    "seed": dict(sr=22050, n_fft=2048, hop=275, win=1100, pad_mode="constant", n_mels=80, fmin=55.0, fmax=7600.0,
                 preemph=0.97, compression="db"),
}


def hz_to_mel(f):
    """Slaney mel (librosa htk=False)."""
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filters(sr, n_fft, n_mels, fmin, fmax):
    """librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney') in float64."""
    fftfreqs = np.linspace(0, sr / 2, 1 + n_fft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return weights


def stft_magnitude(x, n_fft, hop, win, pad_mode):
    """|STFT| with a periodic Hann window centred in n_fft, center=True (pad n_fft//2 both sides)."""
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)
    lpad = (n_fft - win) // 2
    w = np.zeros(n_fft)
    w[lpad:lpad + win] = window
    xp = np.pad(x, n_fft // 2, mode=pad_mode)
    frames = 1 + (len(xp) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    return np.abs(np.fft.rfft(xp[idx] * w[None, :], axis=1)).T  # [bins, frames]


def mel_spectrogram(x, p):
    x = np.asarray(x, dtype=np.float64)
    if p["preemph"]:
        x = np.append(x[:1], x[1:] - p["preemph"] * x[:-1])  # lfilter([1, -k], [1], x)
    S = stft_magnitude(x, p["n_fft"], p["hop"], p["win"], p["pad_mode"])
    M = mel_filters(p["sr"], p["n_fft"], p["n_mels"], p["fmin"], p["fmax"]) @ S
    if p["compression"] == "ln":
        return np.log(np.maximum(M, 1e-5))
    db = 20 * np.log10(np.maximum(1e-5, M)) - 20.0  # _amp_to_db - ref_level_db; min_level = 10^(-100/20)
    return np.clip(8.0 * ((db + 100.0) / 100.0) - 4.0, -4.0, 4.0)  # symmetric, max_abs_value 4, min_level_db -100


def read_wav16(path):
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
        assert w.getframerate() == 22050, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0


def write_wav16(path, x, sr=22050):
    pcm = np.clip(np.round(x * 32768.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())


def make_chirp_noise(path, sr=22050):
    """0.3 s: a 0.2 s linear chirp 100 -> 8000 Hz at 0.5, then a 0.1 s seeded white-noise burst at 0.25."""
    t = np.arange(int(0.2 * sr)) / sr
    f0, f1, T = 100.0, 8000.0, 0.2
    chirp = 0.5 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) / (2 * T) * t ** 2))
    noise = 0.25 * np.random.default_rng(1234).uniform(-1, 1, int(0.1 * sr))
    write_wav16(path, np.concatenate([chirp, noise]), sr)


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    if not (here / "chirp_noise.wav").exists():
        make_chirp_noise(here / "chirp_noise.wav")
    for wav in sorted(here.glob("*.wav")):
        x = read_wav16(wav)
        for name, p in PRESETS.items():
            mel = mel_spectrogram(x, p).astype("<f4")
            out = here / f"{wav.stem}.{name}.npy"
            np.save(out, mel)
            print(f"{out.name}: {mel.shape} min {mel.min():.4f} max {mel.max():.4f}", file=sys.stderr)
