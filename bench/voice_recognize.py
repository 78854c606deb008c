"""Offline speech recognition for bench:voice: pocketsphinx (pip package, which ships its en-us model; or
Debian's pocketsphinx-en-us model when FORMANT_PS_MODEL points at it). Reads a JSON list of wav paths on
stdin, writes one JSON object {path: hypothesis} on stdout. Audio is resampled to 16 kHz mono with sox."""
import json
import os
import subprocess
import sys

try:
    from pocketsphinx import Config, Decoder, get_model_path
except ImportError:
    sys.stdout.write(json.dumps({"error": "pocketsphinx is not installed (pip install pocketsphinx into .venv)"}) + "\n")
    sys.exit(3)


def decoder() -> Decoder:
    # FORMANT_PS_MODEL: a model root holding en-us/ (e.g. Debian's pocketsphinx-en-us: /usr/share/pocketsphinx/model)
    root = os.environ.get("FORMANT_PS_MODEL") or get_model_path()
    if not os.path.isdir(os.path.join(root, "en-us")) and os.path.isdir("/usr/share/pocketsphinx/model/en-us"):
        root = "/usr/share/pocketsphinx/model"
    model = os.path.join(root, "en-us")
    cfg = Config(hmm=os.path.join(model, "en-us"), lm=os.path.join(model, "en-us.lm.bin"),
                 dict=os.path.join(model, "cmudict-en-us.dict"), samprate=16000, loglevel="FATAL")
    return Decoder(cfg)


def main() -> int:
    paths = json.load(sys.stdin)
    out = {}
    for p in paths:
        # a decoder per file: pocketsphinx adapts its cepstral mean (and more: resetting the mean alone was not
        # enough) from one utterance to the next, so a transcript depended on the file before it
        dec = decoder()
        # -D: no dither. sox dithers when it requantizes the resampled audio, with a new random seed per run, so the
        # same file read differently from run to run (the same recordings scored 28.5-30.1 % WER in three runs).
        raw = subprocess.run(["sox", "-D", p, "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-"],
                             check=True, capture_output=True).stdout
        dec.start_utt()
        dec.process_raw(raw, full_utt=True)
        dec.end_utt()
        hyp = dec.hyp()
        out[p] = hyp.hypstr if hyp is not None else ""
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
