"""WAV clips with the standard library only: read, convert to the pack's format, trim, join."""
import io
import math
import sys
import wave
from array import array
from dataclasses import dataclass

RATE = 22050  # espeak-ng's native rate: the default pack is stored without resampling
SAMPLE_WIDTH = 2  # 16-bit
MAX_SECONDS = 5.0


class ClipError(ValueError):
    """A file that cannot become a voice clip; `code` names the reason for the message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class Clip:
    """Mono 16-bit PCM at RATE."""

    samples: array

    @property
    def frames(self) -> int:
        return len(self.samples)


def _samples(raw: bytes) -> array:
    data = array("h")
    data.frombytes(raw)
    if sys.byteorder == "big":
        data.byteswap()  # WAV data is little-endian
    return data


def _bytes(samples: array) -> bytes:
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def read_wav(data: bytes) -> tuple[array, int, int]:
    """Parse 16-bit PCM WAV bytes into (interleaved samples, channels, rate)."""
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError):
        raise ClipError("not_wav") from None
    if width != SAMPLE_WIDTH:
        raise ClipError("not_16bit")
    if channels not in (1, 2) or rate < 8000 or rate > 96000:
        raise ClipError("bad_format")
    # An odd-sized or truncated data chunk ends in a partial frame (a lone byte of a sample, or
    # half of a stereo pair): drop it rather than refuse a recording that is otherwise fine.
    raw = raw[:len(raw) - len(raw) % (channels * SAMPLE_WIDTH)]
    return _samples(raw), channels, rate


def to_mono(samples: array, channels: int) -> array:
    """Average the two channels of a stereo recording."""
    if channels == 1:
        return samples
    return array("h", ((samples[i] + samples[i + 1]) // 2 for i in range(0, len(samples) - 1, 2)))


def resample(samples: array, rate: int, target: int = RATE) -> array:
    """Change the sample rate by linear interpolation (good enough for speech prompts)."""
    if rate == target or not samples:
        return samples
    count = max(1, int(len(samples) * target / rate))
    step = rate / target
    last = len(samples) - 1
    out = array("h", bytes(2 * count))
    for i in range(count):
        pos = i * step
        j = min(int(pos), last)
        k = min(j + 1, last)
        frac = pos - j
        out[i] = int(samples[j] + (samples[k] - samples[j]) * frac)
    return out


def trim_silence(samples: array, threshold: int = 500, pad_ms: int = 40) -> array:
    """Cut the quiet lead-in and tail, keeping a short pad so words do not run together."""
    start = next((i for i, s in enumerate(samples) if abs(s) > threshold), None)
    if start is None:
        return samples
    end = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > threshold)
    pad = RATE * pad_ms // 1000
    return samples[max(0, start - pad):min(len(samples), end + pad + 1)]


def clip_from_upload(data: bytes) -> Clip:
    """Turn an uploaded WAV into a pack clip (mono, RATE), or raise ClipError."""
    samples, channels, rate = read_wav(data)
    samples = trim_silence(resample(to_mono(samples, channels), rate))
    if not samples or max(abs(s) for s in samples) <= 500:
        raise ClipError("silent")
    if len(samples) > MAX_SECONDS * RATE:
        raise ClipError("too_long")
    return Clip(samples)


def load_clip(path) -> Clip:
    """Read a stored pack clip (already mono 16-bit at RATE)."""
    with open(path, "rb") as fh:
        samples, channels, rate = read_wav(fh.read())
    if channels != 1 or rate != RATE:
        raise ClipError("bad_format")
    return Clip(samples)


def wav_bytes(clips: list[Clip]) -> bytes:
    """Write clips one after another as one mono 16-bit WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(SAMPLE_WIDTH)
        wav.setframerate(RATE)
        for clip in clips:
            wav.writeframes(_bytes(clip.samples))
    return buffer.getvalue()


def chime(seconds: float = 1.1) -> Clip:
    """Synthesise a soft two-note chime (E5 then C5) with a bell-like decay."""
    out = array("h")
    half = seconds / 2
    for freq, length in ((659.25, half), (523.25, half)):
        for i in range(int(RATE * length)):
            t = i / RATE
            envelope = math.exp(-4.0 * t) * min(1.0, t * 200)
            tone = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            out.append(int(9000 * envelope * tone))
    return Clip(out)
