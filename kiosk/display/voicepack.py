"""Build the default voice pack offline: `python -m kiosk.display.voicepack build [--out DIR]`.

Each word of the vocabulary is spoken by espeak-ng's Vietnamese voice (`espeak-ng -v vi`),
trimmed of silence and stored as mono 16-bit WAV at 22 050 Hz; the chime is a synthesised
sine tone. No network is used.
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kiosk.display.voice import DEFAULT_PACK, VOCABULARY
from kiosk.display.wavtools import Clip, chime, read_wav, resample, to_mono, trim_silence, wav_bytes

ESPEAK_ARGS = ("-v", "vi", "-s", "135", "-a", "160")


def speak(text: str, espeak: str) -> Clip:
    """Have espeak-ng say a word and return it as a trimmed pack clip."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "word.wav"
        subprocess.run([espeak, *ESPEAK_ARGS, "-w", str(out), text], check=True, timeout=60)
        samples, channels, rate = read_wav(out.read_bytes())
    return Clip(trim_silence(resample(to_mono(samples, channels), rate)))


def build(out: Path) -> int:
    """Write every clip of the vocabulary into `out`; return the total size in bytes."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        sys.exit("espeak-ng is not installed (apt-get install espeak-ng)")
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in VOCABULARY.items():
        clip = chime() if name == "chime" else speak(text, espeak)
        data = wav_bytes([clip])
        (out / f"{name}.wav").write_bytes(data)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and build the pack."""
    parser = argparse.ArgumentParser(prog="python -m kiosk.display.voicepack")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--out", type=Path, default=DEFAULT_PACK)
    args = parser.parse_args(argv)
    total = build(args.out)
    print(f"{len(VOCABULARY)} clips, {total} bytes in {args.out}")


if __name__ == "__main__":
    main()
