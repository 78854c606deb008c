"""Datasets: the LJSpeech export (metadata.csv `id|raw|normalized`, wavs/<id>.wav, cleaned.csv) → (text ids, mel)
for Tacotron-2 and (mel, audio segment) for WaveGlow. Mels are computed once by audio.py with the
shared preset (silence trimmed by default) and cached as .npy next to the run.

A feature-only dataset (`python -m formant_trainer features`: metadata.csv + mels/<id>.npy + features.json)
stands in for the wavs when the audio cannot travel (a remote GPU machine with a size limit on uploads);
its features.json records the preset and trimming, and a run whose config differs is refused.

The text a model reads is written by TypeScript; the trainer only maps its symbols to ids (frontend.py). Characters
(the default): each utterance's line in cleaned.csv (`id|cleaned text`: shared/text's english cleaners, written by the
export, by `formant train` into the run folder (--text-csv) and by `formant clean-text <dataset-dir>`).
With hparams text_frontend="phonemes" the text of each utterance is its line in phonemes.csv (`id|phonemes`, written
by `formant phonemize <dataset-dir>` next to metadata.csv; a features dir carries a filtered copy), encoded one
codepoint per symbol of shared/text/phonemeSymbols.json. Anything missing or unspellable is refused up front."""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import Dataset, Sampler

from . import audio
from .frontend import PHONEMES, phonemes_to_ids, text_to_ids
from .hparams import HParams


class DatasetError(ValueError):
    pass


FEATURES_JSON = "features.json"
PHONEMES_CSV = "phonemes.csv"
CLEANED_CSV = "cleaned.csv"


@dataclass
class Utterance:
    id: str
    text: str
    wav_path: str | None
    mel_path: str | None = None  # precomputed mel of a feature-only dataset
    phonemes: str | None = None  # its phonemes.csv entry (text_frontend="phonemes")
    cleaned: str | None = None  # its cleaned.csv entry (text_frontend="characters")


def read_metadata(dataset_dir: str) -> list[Utterance]:
    """Parses metadata.csv; every line must name an existing wav. Errors say file, line and what is wrong."""
    meta = os.path.join(dataset_dir, "metadata.csv")
    if not os.path.isfile(meta):
        raise DatasetError(f"{dataset_dir}: no metadata.csv (expected an LJSpeech export: metadata.csv + wavs/)")
    out, seen = [], set()
    features_only = os.path.isfile(os.path.join(dataset_dir, FEATURES_JSON))
    with open(meta, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("|")
            if len(parts) < 2:
                raise DatasetError(f"{meta}:{n}: expected `id|text|normalized text`, got {line[:80]!r}")
            uid = parts[0].strip()
            text = (parts[2] if len(parts) > 2 and parts[2].strip() else parts[1]).strip()
            if not uid or not text:
                raise DatasetError(f"{meta}:{n}: empty id or transcript")
            if uid in seen:
                raise DatasetError(f"{meta}:{n}: duplicate id {uid!r}")
            seen.add(uid)
            wav = os.path.join(dataset_dir, "wavs", uid + ".wav")
            mel = os.path.join(dataset_dir, "mels", uid + ".npy")
            if os.path.isfile(wav):
                out.append(Utterance(uid, text, wav))
            elif features_only and os.path.isfile(mel):
                out.append(Utterance(uid, text, None, mel))
            else:
                raise DatasetError(f"{meta}:{n}: {uid}: missing wavs/{uid}.wav" + (f" and mels/{uid}.npy" if features_only else ""))
    if not out:
        raise DatasetError(f"{meta}: no utterances")
    return out


def read_phonemes_csv(path: str, what: str = "phonemes") -> list[tuple[int, str, str]]:
    """(line number, id, text) of a phonemes.csv or cleaned.csv (`id|<what>`); the text is kept verbatim (no cleaners,
    no trimming)."""
    out, seen = [], set()
    with open(path, encoding="utf-8-sig", newline="") as f:  # -sig: a BOM from a Windows editor is not part of the first id
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            if "|" not in line:
                raise DatasetError(f"{path}:{n}: expected `id|{what}`, got {line[:80]!r}")
            uid, phonemes = line.split("|", 1)
            uid = uid.strip()
            if uid in seen:
                raise DatasetError(f"{path}:{n}: duplicate id {uid!r}")
            seen.add(uid)
            out.append((n, uid, phonemes))
    return out


def _listed(items: list, limit: int = 5) -> str:
    return ", ".join(items[:limit]) + (f" … ({len(items) - limit} more)" if len(items) > limit else "")


def _entries_for(path: str, utts: list[Utterance], what: str, fix: str) -> dict:
    """{id: (line number, text)} of an `id|<what>` file (phonemes.csv, cleaned.csv), refusing (DatasetError) a
    metadata.csv id without an entry and an empty entry, each with the `fix` to run."""
    entries = {uid: (n, t) for n, uid, t in read_phonemes_csv(path, what)}
    missing = [u.id for u in utts if u.id not in entries]
    if missing:
        raise DatasetError(f"{path}: no {what} for {len(missing)} of the {len(utts)} metadata.csv id(s): "
                           f"{_listed(missing)}; {fix} again")
    empty = [f"{u.id} (line {entries[u.id][0]})" for u in utts if not entries[u.id][1].strip()]
    if empty:
        raise DatasetError(f"{path}: empty {what} for {_listed(empty)}; {fix} again")
    return entries


def attach_phonemes(dataset_dir: str, utts: list[Utterance]) -> list[Utterance]:
    """Sets each utterance's `phonemes` from <dataset_dir>/phonemes.csv, refusing (DatasetError) a missing file, an
    id without phonemes, an empty entry and any codepoint outside the phoneme table (naming it and the id)."""
    path = os.path.join(dataset_dir, PHONEMES_CSV)
    fix = f"run `formant phonemize {dataset_dir}`"
    if not os.path.isfile(path):
        raise DatasetError(f"{dataset_dir}: no {PHONEMES_CSV} (text_frontend=phonemes reads one `id|phonemes` line per "
                           f"metadata.csv id); {fix} first")
    entries = _entries_for(path, utts, "phonemes", fix)
    bad = []
    for u in utts:
        n, ph = entries[u.id]
        try:
            phonemes_to_ids(ph)
        except ValueError as e:  # the text frontend's TextError: names the codepoint(s)
            bad.append(f"line {n}, {u.id}: {e}")
    if bad:
        raise DatasetError(f"{path}: {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} with a symbol outside the phoneme "
                           f"table (shared/text/phonemeSymbols.json): " + "; ".join(bad[:5])
                           + (f"; … ({len(bad) - 5} more)" if len(bad) > 5 else ""))
    for u in utts:
        u.phonemes = entries[u.id][1]
    return utts


def cleaned_csv_path(dataset_dir: str, text_csv: str | None = None) -> str:
    return text_csv or os.path.join(dataset_dir, CLEANED_CSV)


def attach_cleaned_text(dataset_dir: str, utts: list[Utterance], text_csv: str | None = None) -> list[Utterance]:
    """Sets each utterance's `cleaned` from `text_csv` or <dataset_dir>/cleaned.csv, refusing (DatasetError) a missing
    file, an id without an entry and an empty entry. Characters outside the symbol table are not refused here: that
    clip is left out with a warning naming it and them (TextMelDataset), as before the text came from TypeScript."""
    path = cleaned_csv_path(dataset_dir, text_csv)
    fix = f"run `npx formant clean-text {dataset_dir}` (or train with `npx formant train`, which writes it)"
    if not os.path.isfile(path):
        raise DatasetError(f"{path}: not found. Character-input training reads the transcripts as shared/text cleans "
                           f"them (`id|cleaned text`, one line per metadata.csv id); {fix}")
    entries = _entries_for(path, utts, "cleaned text", fix)
    for u in utts:
        u.cleaned = entries[u.id][1]
    return utts


def copy_phonemes(dataset_dir: str, out_dir: str, ids: list, name: str = PHONEMES_CSV, src: str | None = None) -> int | None:
    """The entries of `ids` from dataset_dir's phonemes.csv (or `name`, read from `src`) into out_dir's (atomically), in `ids` order; None when the
    source has none. Ids without an entry are left out here: training refuses them, naming them."""
    src = src or os.path.join(dataset_dir, name)
    dst = os.path.join(out_dir, name)
    if not os.path.isfile(src):
        if os.path.exists(dst):
            os.remove(dst)  # stale copy from an earlier run of features
        return None
    entries = {uid: ph for _, uid, ph in read_phonemes_csv(src, name)}
    lines = [f"{uid}|{entries[uid]}\n" for uid in ids if uid in entries]
    tmp = f"{dst}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.writelines(lines)
    os.replace(tmp, dst)
    return len(lines)


def split_train_val(utts: list[Utterance], n_val: int, seed: int) -> tuple[list, list]:
    ids = sorted(u.id for u in utts)
    random.Random(seed).shuffle(ids)
    n_val = min(n_val, max(0, len(ids) - 1))
    val = set(ids[:n_val])
    return [u for u in utts if u.id not in val], [u for u in utts if u.id in val]


def feature_key(hp: HParams) -> dict:
    """What a mel depends on besides the audio: the preset and the silence trimming."""
    return {"preset": audio.get_preset(hp.mel_preset), "trim": hp.trim_silence, "db": hp.trim_top_db, "keep": hp.trim_keep_seconds}


def check_features(features_json: str, hp: HParams) -> None:
    with open(features_json, encoding="utf-8") as f:
        recorded = json.load(f).get("key")
    if recorded != json.loads(json.dumps(feature_key(hp))):
        raise DatasetError(f"{features_json}: these precomputed mels were made with another mel preset or trimming "
                           f"than this run's config (mel_preset={hp.mel_preset!r}, trim_silence={hp.trim_silence}); "
                           "recompute them with `python -m formant_trainer features` and the same --config")


class MelCache:
    """<cache>/<feature key>/<id>.npy; the key covers the preset and trimming, the file name the wav's size+mtime."""

    def __init__(self, cache_dir: str, hp: HParams):
        p = audio.get_preset(hp.mel_preset)
        key = json.dumps(feature_key(hp), sort_keys=True)
        self.dir = os.path.join(cache_dir, f"{p['name']}-{hashlib.sha1(key.encode()).hexdigest()[:10]}")
        os.makedirs(self.dir, exist_ok=True)
        self.hp, self.preset = hp, p
        self._checked: set[str] = set()
        self._last: tuple[str, np.ndarray] | None = None  # the clip decoded last: its mel and its pitch share one decode

    def load_audio(self, utt: Utterance) -> np.ndarray:
        if utt.wav_path is None:
            raise DatasetError(f"{utt.id}: this dataset holds precomputed mels only; WaveGlow training needs the audio (wavs/)")
        if self._last is not None and self._last[0] == utt.wav_path:
            return self._last[1]
        x, rate = audio.load_wav(utt.wav_path, int(self.preset["sampleRate"]))
        if self.hp.trim_silence:
            x = audio.trim_silence(x, rate, self.hp.trim_top_db, self.hp.trim_keep_seconds)
        self._last = (utt.wav_path, x)
        return x

    def mel(self, utt: Utterance) -> np.ndarray:
        if utt.mel_path is not None:
            features_json = os.path.join(os.path.dirname(os.path.dirname(utt.mel_path)), FEATURES_JSON)
            if features_json not in self._checked:
                check_features(features_json, self.hp)
                self._checked.add(features_json)
            mel = np.load(utt.mel_path)
            if mel.ndim != 2 or mel.shape[0] != int(self.preset["nMels"]):
                raise DatasetError(f"{utt.mel_path}: expected a mel [{self.preset['nMels']}, frames], got {list(mel.shape)}")
            return mel.astype(np.float32)
        st = os.stat(utt.wav_path)
        path = os.path.join(self.dir, f"{utt.id}-{st.st_size}-{int(st.st_mtime)}.npy")
        if os.path.isfile(path):
            try:
                return np.load(path)
            except Exception:
                pass  # a cache file from a killed run: recompute
        mel = audio.mel_spectrogram(self.load_audio(utt), self.preset)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            np.save(f, mel)
        os.replace(tmp, path)
        return mel


    def pitch(self, utt: Utterance, n_frames: int) -> np.ndarray:
        """f0 in Hz per mel frame (0 = unvoiced) of the same trimmed audio the mel is made from (pitch.py), cached beside
        the mels; a feature-only dataset carries its own pitch/<id>.npy (written by `features`)."""
        from .pitch import yin_f0
        if utt.mel_path is not None:
            path = os.path.join(os.path.dirname(os.path.dirname(utt.mel_path)), "pitch", utt.id + ".npy")
            if not os.path.isfile(path):
                raise DatasetError(f"{path}: this feature-only dataset has no pitch; the duration model needs it "
                                   "(recompute the features with this version of `python -m formant_trainer features`)")
            f0 = np.load(path).astype(np.float32)
        else:
            st = os.stat(utt.wav_path)
            path = os.path.join(self.dir, f"{utt.id}-{st.st_size}-{int(st.st_mtime)}.f0.npy")
            f0 = None
            if os.path.isfile(path):
                try:
                    f0 = np.load(path)
                except Exception:
                    f0 = None  # a cache file from a killed run: recompute
            if f0 is None:
                f0 = yin_f0(self.load_audio(utt), int(self.preset["sampleRate"]), int(self.preset["hopLength"]), n_frames)
                tmp = f"{path}.{os.getpid()}.tmp"
                with open(tmp, "wb") as f:
                    np.save(f, f0)
                os.replace(tmp, path)
        if len(f0) != n_frames:
            raise DatasetError(f"{utt.id}: pitch has {len(f0)} frames but the mel {n_frames}; recompute the features")
        return f0


class TextMelDataset(Dataset):
    """(id, symbol ids, mel[, f0 per frame]) per usable utterance. `with_pitch`: the duration model's items also carry
    f0, and clips with fewer frames than symbols are skipped (each symbol needs at least one frame)."""

    def __init__(self, utts: list[Utterance], hp: HParams, cache: MelCache, with_pitch: bool = False):
        self.hp, self.cache = hp, cache
        max_frames = hp.max_wav_seconds * cache.preset["sampleRate"] / cache.preset["hopLength"]
        self.items, self.skipped = [], []
        self.errors = []
        for u in utts:
            try:
                if hp.text_frontend == PHONEMES:
                    if u.phonemes is None:
                        raise DatasetError(f"{u.id}: no phonemes (read the dataset's phonemes.csv with attach_phonemes)")
                    ids = phonemes_to_ids(u.phonemes)
                else:
                    if u.cleaned is None:
                        raise DatasetError(f"{u.id}: no cleaned text (read the dataset's cleaned.csv with attach_cleaned_text)")
                    ids = text_to_ids(u.cleaned)
            except DatasetError:
                raise
            except ValueError as e:  # the frontend's TextError: unknown characters; skip the clip, report it
                self.errors.append(f"{u.id}: {e}")
                continue
            mel = cache.mel(u)
            if mel.shape[1] > max_frames or not ids or (with_pitch and mel.shape[1] < len(ids)):
                self.skipped.append(u.id)
                continue
            item = (u.id, torch.LongTensor(ids), torch.from_numpy(mel))
            if with_pitch:
                item += (torch.from_numpy(cache.pitch(u, mel.shape[1])),)
            self.items.append(item)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def ids(self) -> list:
        return [x[0] for x in self.items]

    def lengths(self) -> list[int]:
        """Mel frames per item (what the decoder runs over)."""
        return [int(x[2].size(1)) for x in self.items]

    def subset(self, ids) -> "TextMelDataset":
        keep = set(ids)
        out = object.__new__(TextMelDataset)
        out.hp, out.cache, out.skipped, out.errors = self.hp, self.cache, [], []
        out.items = [x for x in self.items if x[0] in keep]
        return out


class LengthBucketBatchSampler(Sampler):
    """Batches of clips of similar length (as VITS's DistributedBucketSampler, by pools rather than fixed
    boundaries): each epoch shuffles the indices, sorts pools of `pool_batches` batches by length with a little
    jitter (so batches are not the same every epoch when one pool holds the whole set), cuts batches from the
    sorted order and shuffles the batches. With `num_replicas` > 1 each rank takes every num_replicas-th batch of
    a list cut to a multiple of num_replicas, so all ranks run the same number of steps (as DistributedSampler).
    `set_epoch` reshuffles; the same seed and epoch give the same batches."""

    def __init__(self, lengths: list[int], batch_size: int, pool_batches: int = 8, seed: int = 0, drop_last: bool = True,
                 num_replicas: int = 1, rank: int = 0, jitter: float = 0.1):
        if batch_size < 1 or pool_batches < 1:
            raise ValueError("batch_size and pool_batches must be >= 1")
        self.lengths, self.batch_size, self.pool = list(lengths), batch_size, pool_batches * batch_size
        self.seed, self.drop_last, self.num_replicas, self.rank, self.jitter = seed, drop_last, num_replicas, rank, jitter
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def _batches(self) -> list[list[int]]:
        rng = random.Random(self.seed * 1_000_003 + self.epoch)
        idx = list(range(len(self.lengths)))
        rng.shuffle(idx)
        if self.drop_last or self.num_replicas > 1:  # the clips left over are a random few, not the longest of a pool
            idx = idx[:len(idx) - len(idx) % self.batch_size]
        key = {i: self.lengths[i] * (1.0 + rng.uniform(-self.jitter, self.jitter)) for i in idx}
        order = [i for p in range(0, len(idx), self.pool) for i in sorted(idx[p:p + self.pool], key=key.__getitem__)]
        batches = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        rng.shuffle(batches)
        usable = len(batches) - len(batches) % self.num_replicas
        return batches[self.rank:usable:self.num_replicas]

    def __iter__(self):
        return iter(self._batches())

    def __len__(self) -> int:
        n = len(self.lengths) // self.batch_size if self.drop_last or self.num_replicas > 1 else -(-len(self.lengths) // self.batch_size)
        return n // self.num_replicas


class TextMelCollate:
    """Pads text with the pad id and mels to a multiple of r; gate target is 1 from the decoder step
    that holds the last real frame on."""

    def __init__(self, n_frames_per_step: int, pad_id: int = 0):
        self.r, self.pad_id = n_frames_per_step, pad_id

    def __call__(self, batch):
        batch = sorted(batch, key=lambda b: len(b[1]), reverse=True)
        b = len(batch)
        text_lengths = torch.LongTensor([len(x[1]) for x in batch])
        text = torch.full((b, int(text_lengths.max())), self.pad_id, dtype=torch.long)
        n_mels = batch[0][2].size(0)
        mel_lengths = torch.LongTensor([x[2].size(1) for x in batch])
        max_len = int(mel_lengths.max())
        max_len += (-max_len) % self.r
        mels = torch.zeros(b, n_mels, max_len)
        steps = max_len // self.r
        gate = torch.zeros(b, steps)
        for i, (_, ids, mel) in enumerate(batch):
            text[i, :len(ids)] = ids
            mels[i, :, :mel.size(1)] = mel
            gate[i, (mel.size(1) - 1) // self.r:] = 1.0
        ids = [x[0] for x in batch]
        return ids, text, text_lengths, mels, mel_lengths, gate


class TextMelPitchCollate:
    """The duration model's batch: padded text, mels, normalized log-f0 per frame (unvoiced = 0) and the alignment
    prior of each (frames, symbols) pair."""

    def __init__(self, hp: HParams, pad_id: int = 0):
        self.hp, self.pad_id = hp, pad_id

    def __call__(self, batch):
        from .fastpitch import make_prior, normalize_pitch
        b = len(batch)
        text_lengths = torch.LongTensor([len(x[1]) for x in batch])
        mel_lengths = torch.LongTensor([x[2].size(1) for x in batch])
        text = torch.full((b, int(text_lengths.max())), self.pad_id, dtype=torch.long)
        mels = torch.zeros(b, batch[0][2].size(0), int(mel_lengths.max()))
        pitch = torch.zeros(b, int(mel_lengths.max()))
        for i, (_, ids, mel, f0) in enumerate(batch):
            text[i, :len(ids)] = ids
            mels[i, :, :mel.size(1)] = mel
            pitch[i, :mel.size(1)] = torch.from_numpy(normalize_pitch(f0.numpy(), self.hp.fp_pitch_mean, self.hp.fp_pitch_std))
        return [x[0] for x in batch], text, text_lengths, mels, mel_lengths, pitch, make_prior(text_lengths, mel_lengths, self.hp)


def pitch_energy_stats(items) -> dict:
    """Mean and standard deviation of ln f0 over voiced frames and of the per-frame ln-mel level, over the training
    items: the duration model predicts both normalized by these (kept with the run, so a resume or export agrees)."""
    lf0 = np.concatenate([np.log(x[3].numpy()[x[3].numpy() > 0]) for x in items])
    level = np.concatenate([x[2].numpy().mean(0) for x in items])
    if lf0.size < 10:
        raise DatasetError("the training clips have almost no voiced frames: is this speech?")
    return {"fp_pitch_mean": float(lf0.mean()), "fp_pitch_std": float(max(lf0.std(), 1e-3)),
            "fp_energy_mean": float(level.mean()), "fp_energy_std": float(max(level.std(), 1e-3))}


class MelAudioDataset(Dataset):
    """WaveGlow: a random segment of audio and its mel (computed on the fly, as NVIDIA's mel2samp).

    With `gta_dir` (`python -m formant_trainer gta`: Tacotron-2's teacher-forced mels, frame for frame with the
    audio), the mel is cut from the clip's GTA mel instead, as the Tacotron-2 paper trains its vocoder: it then
    learns to make clean audio from the acoustic model's blurred mels rather than from real ones it never gets.
    Segments start on a hop boundary so the cut frames sit exactly where the segment's own frames would."""

    def __init__(self, utts: list[Utterance], hp: HParams, cache: MelCache, seed: int = 0, gta_dir: str | None = None):
        self.hp, self.cache = hp, cache
        self.audio = [cache.load_audio(u) for u in utts]
        self.ids = [u.id for u in utts]
        self.segment = hp.wg_segment_length - hp.wg_segment_length % hp.wg_n_group
        self.rng = random.Random(seed)
        self.hop = int(cache.preset["hopLength"])
        self.gta = [self._load_gta(gta_dir, u.id, len(x)) for u, x in zip(utts, self.audio)] if gta_dir else None

    def _load_gta(self, gta_dir: str, uid: str, n_samples: int) -> np.ndarray:
        path = os.path.join(gta_dir, f"{uid}.npy")
        if not os.path.isfile(path):
            raise DatasetError(f"{path}: no teacher-forced mel for {uid}; run `python -m formant_trainer gta` on this "
                               "dataset with the Tacotron-2 checkpoint first")
        mel = np.load(path).astype(np.float32)
        frames = 1 + n_samples // self.hop  # centered frames, as mel_spectrogram makes them
        if mel.ndim != 2 or mel.shape != (int(self.cache.preset["nMels"]), frames):
            raise DatasetError(f"{path}: shape {list(mel.shape)}, but {uid}'s audio makes [{self.cache.preset['nMels']}, "
                               f"{frames}]: made from other audio, trimming or mel preset than this run's")
        return mel

    def __len__(self):
        return len(self.audio)

    def __getitem__(self, i):
        x = self.audio[i]
        start = 0
        if len(x) >= self.segment:
            if self.gta is not None:
                start = self.hop * self.rng.randint(0, (len(x) - self.segment) // self.hop)
            else:
                start = self.rng.randint(0, len(x) - self.segment)
            x = x[start:start + self.segment]
        else:
            x = np.pad(x, (0, self.segment - len(x)))
        if self.gta is None:
            mel = audio.mel_spectrogram(x, self.cache.preset)
        else:
            n = 1 + self.segment // self.hop
            mel = self.gta[i][:, start // self.hop:start // self.hop + n]
            if mel.shape[1] < n:  # a clip shorter than a segment: pad with its quietest value, as its audio with zeros
                mel = np.pad(mel, ((0, 0), (0, n - mel.shape[1])), constant_values=float(self.gta[i].min()))
            mel = np.ascontiguousarray(mel)
        return torch.from_numpy(mel), torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))


def mel_audio_collate(batch):
    return torch.stack([b[0] for b in batch]), torch.stack([b[1] for b in batch])


def write_features(dataset_dir: str, out_dir: str, hp: HParams, dtype: str = "float16", exclude: set | None = None,
                   progress=None, text_csv: str | None = None) -> dict:
    """A feature-only copy of an LJSpeech dataset: metadata.csv + mels/<id>.npy + pitch/<id>.npy (f0 per frame, for the
    duration model) (+ features.json), so training can run where the audio cannot go. float16 keeps ln-mel values to
    ~0.004 (well under the model's error) at half the bytes."""
    if dtype not in ("float16", "float32"):
        raise ValueError(f"--dtype {dtype!r}: float16 or float32")
    utts = [u for u in read_metadata(dataset_dir) if not exclude or u.id not in exclude]
    cache = MelCache(os.path.join(out_dir, ".cache"), hp)
    mels, pitch = os.path.join(out_dir, "mels"), os.path.join(out_dir, "pitch")
    os.makedirs(mels, exist_ok=True)
    os.makedirs(pitch, exist_ok=True)
    lines, frames = [], 0
    for i, u in enumerate(utts):
        mel = cache.mel(u).astype(dtype)
        tmp = os.path.join(mels, f"{u.id}.npy.tmp")
        with open(tmp, "wb") as f:
            np.save(f, mel)
        os.replace(tmp, os.path.join(mels, f"{u.id}.npy"))
        f0 = cache.pitch(u, mel.shape[1])
        tmp = os.path.join(pitch, f"{u.id}.npy.tmp")
        with open(tmp, "wb") as f:
            np.save(f, f0)
        os.replace(tmp, os.path.join(pitch, f"{u.id}.npy"))
        frames += mel.shape[1]
        lines.append(f"{u.id}|{u.text}|{u.text}\n")
        if progress:
            progress(i + 1, len(utts))
    shutil.rmtree(os.path.join(out_dir, ".cache"), ignore_errors=True)  # the mels now live in mels/
    with open(os.path.join(out_dir, "metadata.csv.tmp"), "w", encoding="utf-8") as f:
        f.writelines(lines)
    os.replace(os.path.join(out_dir, "metadata.csv.tmp"), os.path.join(out_dir, "metadata.csv"))
    phonemes = copy_phonemes(dataset_dir, out_dir, [u.id for u in utts])  # same ids as metadata.csv (--exclude applied)
    cleaned = copy_phonemes(dataset_dir, out_dir, [u.id for u in utts], CLEANED_CSV, cleaned_csv_path(dataset_dir, text_csv))
    info = {"format": "formant-features", "version": 1, "key": feature_key(hp), "dtype": dtype, "utterances": len(utts),
            "frames": frames, "source": os.path.abspath(dataset_dir), "phonemes": phonemes, "cleaned": cleaned}
    with open(os.path.join(out_dir, FEATURES_JSON), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
    return info
