#!/usr/bin/env bash
# Regenerates resources/demo/recordings/: a small, deliberately imperfect set of "recordings"
# (espeak-ng speech, shaped with sox/ffmpeg) that shows what `formant import` fixes and what
# `formant qa` flags. Needs espeak-ng, sox and ffmpeg (Debian: apt-get install espeak-ng sox ffmpeg).
#   bash resources/demo/make-recordings.sh
# Output is deterministic for a given espeak-ng/sox/ffmpeg version. Total size stays under 2 MB.
set -euo pipefail
cd "$(dirname "$0")"
out=recordings
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"

say() { # say <file.wav> <text>: espeak-ng at 22050 Hz mono 16-bit, US English, a calm rate
  espeak-ng -v en-us -s 150 -p 45 -w "$1" "$2"
}
text() { printf '%s\n' "$2" > "$out/$1.txt"; }

# 1. A clean take, already in the target format.
t="The quick brown fox jumps over the lazy dog."
say "$tmp/a.wav" "$t"; cp "$tmp/a.wav" "$out/01-clean.wav"; text 01-clean "$t"

# 2. 44.1 kHz stereo with long silences at both ends (trimmed, downmixed, resampled on import).
t="Silence at both ends is trimmed."
say "$tmp/b.wav" "$t"; sox "$tmp/b.wav" -r 44100 -c 2 "$out/02-stereo-44k.wav" pad 1.0 1.2; text 02-stereo-44k "$t"

# 3. An MP3 (lossy input).
t="Compressed files are decoded by ffmpeg before anything else."
say "$tmp/c.wav" "$t"; ffmpeg -v error -y -i "$tmp/c.wav" -c:a libmp3lame -b:a 48k "$out/03-compressed.mp3"; text 03-compressed "$t"

# 4. FLAC, recorded far too quietly (normalized to -23 LUFS on import).
t="This one was recorded far too quietly."
say "$tmp/d.wav" "$t"; sox "$tmp/d.wav" -b 24 "$out/04-quiet.flac" vol 0.03; text 04-quiet "$t"

# 5. A long take with pauses between sentences: longer than 12 s, so it is split at the pauses.
#    Its transcript stays on the source; the clips are marked untranscribed until aligned.
s1="A long recording is split at its pauses."
s2="No clip is cut in the middle of a word."
s3="Each piece lasts between one and twelve seconds."
s4="The transcript of the whole take is kept with its source."
for i in 1 2 3 4; do v="s$i"; say "$tmp/l$i.wav" "${!v}"; done
sox -n -r 22050 -c 1 -b 16 "$tmp/gap.wav" trim 0 0.7
sox "$tmp/l1.wav" "$tmp/gap.wav" "$tmp/l2.wav" "$tmp/gap.wav" "$tmp/l3.wav" "$tmp/gap.wav" "$tmp/l4.wav" "$tmp/long.wav"
ffmpeg -v error -y -i "$tmp/long.wav" -c:a flac "$out/05-long-take.flac"; text 05-long-take "$s1 $s2 $s3 $s4"

# 6. Hiss: white noise mixed in (QA: low SNR).
t="Background noise makes a voice harder to learn."
say "$tmp/f.wav" "$t"; sox -n -r 22050 -c 1 -b 16 "$tmp/noise.wav" synth "$(soxi -D "$tmp/f.wav")" whitenoise vol 0.03
sox -m "$tmp/f.wav" "$tmp/noise.wav" "$out/06-noisy.wav"; text 06-noisy "$t"

# 7. Overdriven: clipped peaks (QA: clipping).
t="Too much gain clips the peaks of the waveform."
say "$tmp/g.wav" "$t"; sox "$tmp/g.wav" "$out/07-clipped.wav" gain 14 2>/dev/null; text 07-clipped "$t"

# 8. No transcript at all (QA: untranscribed; left out of the export).
say "$tmp/h.wav" "Nobody wrote down what this one says."; cp "$tmp/h.wav" "$out/08-no-transcript.wav"

du -ch "$out"/* | tail -1
