"""The language of a text: the one its page or feed declares, else detected.

The language decides how numbers are read ("4.000" is 4000 in German, 4 in English) and
which qualifier words count, so a wrong guess misreads every figure of an article. Pages
and feeds often declare nothing; py3langid then tells the language from the text itself,
offline, with the model that ships inside the package.

Loading that model means decompressing 68 MB of xz (most of a second), so the loaded,
already restricted model is also kept in the user's cache directory, as raw arrays the
next process maps into memory instead of reading: a detection then touches only the few
pages of the 39 MB tokenizer table its text walks through. Any trouble with the cache
only costs the slow load.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

# The languages watcher's claim lexicons know.
SUPPORTED = ("en", "de", "es", "fr")
# What detection may answer: those, plus common languages whose number formats and
# qualifier words the figure reader knows. A short list keeps look-alikes (Catalan for
# Spanish, Afrikaans for Dutch) from winning on a short text.
KNOWN = (*SUPPORTED, "it", "pt", "nl", "ru", "uk", "pl")
DEFAULT = "en"
PREFIX = 2_000        # characters detected on: plenty for a language, cheap on a book
MIN_LETTERS = 12      # fewer letters than this is too little to tell: DEFAULT
MIN_CONFIDENCE = 0.5  # a weaker guess than this is not trusted over DEFAULT

_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")
# ISO 639-1: a declared code outside it ("xx", "zz") is a typo or a placeholder
_ISO_639_1 = frozenset((
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg",
    "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv",
    "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi",
    "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr",
    "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja",
    "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw",
    "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml",
    "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv",
    "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro",
    "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr",
    "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr",
    "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
    "yo", "za", "zh", "zu",
))
# codes still met in the wild for those: withdrawn two-letter ones, and the ISO 639-2
# three-letter codes (bibliographic and terminology) of the known languages
_ALIASES = {"iw": "he", "in": "id", "ji": "yi", "eng": "en", "deu": "de", "ger": "de",
            "spa": "es", "fra": "fr", "fre": "fr", "ita": "it", "por": "pt", "nld": "nl",
            "dut": "nl", "rus": "ru", "ukr": "uk", "pol": "pl"}

_identifier: Any = None
_lock = threading.Lock()


def normalise(code: str | None) -> str | None:
    """A declared language as a two-letter code ("de-DE" -> "de"), or None if it is not
    one: a declaration that cannot be read must not beat detection."""
    if not isinstance(code, str):   # feedparser hands over whatever a feed says
        return None
    m = _TAG.fullmatch(code.strip())
    if not m:
        return None
    primary = m.group(1).lower()
    primary = _ALIASES.get(primary, primary)
    return primary if primary in _ISO_639_1 else None


def detect_language(text: str, declared: str | None = None) -> str:
    """The declared language when it is a valid code, else the text's own (DEFAULT when
    the text is too short to tell)."""
    return normalise(declared) or guess(text)


def guess(text: str) -> str:
    """The text's language among KNOWN, told from its first PREFIX characters."""
    sample = text[:PREFIX]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return DEFAULT
    lang, confidence = _get_identifier().classify(sample)
    return str(lang) if confidence >= MIN_CONFIDENCE else DEFAULT


def _get_identifier() -> Any:
    """One identifier per process, loaded on first use (workers that never detect never
    pay for it)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                _identifier = _load()
    return _identifier


def _cache_file() -> Path | None:
    """Where the restricted model is kept: $WATCHER_CACHE_DIR ("off": nowhere), else
    $XDG_CACHE_HOME/watcher, else ~/.cache/watcher."""
    import py3langid

    base = os.environ.get("WATCHER_CACHE_DIR")
    if base is None:
        home = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        base = os.path.join(home, "watcher") if os.path.isabs(home) else ""
    if not base or base.lower() == "off":
        return None
    version = getattr(py3langid, "__version__", "unknown")
    return Path(base) / f"py3langid-{version}-{'-'.join(KNOWN)}.bin"


def _load() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    path = _cache_file()
    if path is not None:
        with contextlib.suppress(Exception):   # missing, stale or foreign: load afresh
            return _read_cache(path, LanguageIdentifier)
    # 0.4 ships an npz model; 0.3 a pickled one
    read = (getattr(LanguageIdentifier, "from_model_file", None)
            or LanguageIdentifier.from_pickled_model)
    identifier = read(MODEL_FILE, norm_probs=True)
    identifier.set_languages(KNOWN)
    if path is not None:
        with contextlib.suppress(Exception):   # read-only home, full disk: no cache
            _write_cache(path, identifier)
    return identifier


# The cache file: _MAGIC, the length of a JSON header (4 bytes, little-endian) and the
# header (classes, byte order, and each array's dtype, shape and offset), padded to
# _HEAD bytes; then the arrays, each at an offset that is a multiple of 8.
_MAGIC = b"watcher-langid\x00\x01"
_HEAD = 4096
_ARRAYS = ("ptc", "pc", "nextmove", "row", "output")


def _read_cache(path: Path, cls: Any) -> Any:
    import numpy as np

    with open(path, "rb") as f:
        # read-only and shared: the file is only ever replaced whole (_write_cache)
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if data[:len(_MAGIC)] != _MAGIC:
        raise ValueError("not a cached model")
    at = len(_MAGIC) + 4
    size = int.from_bytes(data[len(_MAGIC):at], "little")
    head = json.loads(data[at:at + size])
    if head["byteorder"] != sys.byteorder:
        raise ValueError("cached model written on another machine")
    arrays = {}
    for name in _ARRAYS:
        dtype, shape, offset = head[name]
        count = int(np.prod(shape))
        if offset + count * np.dtype(dtype).itemsize > len(data):
            raise ValueError("cached model is cut short")
        arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=offset
                                     ).reshape(shape)
    classes, ptc, pc, output = head["classes"], arrays["ptc"], arrays["pc"], arrays["output"]
    if (set(classes) != set(KNOWN) or not ptc.shape[1] == len(classes) == len(pc)
            or len(output) != len(arrays["row"]) or int(output.max()) >= ptc.shape[0]):
        raise ValueError("cached model does not fit")
    # The tokenizer reads its tables one item at a time: memoryviews of the mapped file
    # hand out plain ints, as the arrays of a fresh load do, without copying 39 MB.
    view = memoryview(data)

    def table(name: str) -> memoryview:
        offset = head[name][2]
        return view[offset:offset + arrays[name].nbytes]

    return cls(ptc, pc, classes, table("nextmove").cast("I"), table("output").cast("i"),
               norm_probs=True, tk_row=table("row").cast("H"))


def _write_cache(path: Path, identifier: Any) -> None:
    import tempfile

    import numpy as np

    if identifier.tk_nextmove.typecode != "I" or identifier.tk_row.typecode != "H":
        return    # a layout _read_cache would not rebuild
    arrays = {
        "ptc": np.ascontiguousarray(identifier.nb_ptc),
        "pc": np.ascontiguousarray(identifier.nb_pc),
        "nextmove": np.frombuffer(identifier.tk_nextmove, dtype=np.uint32),
        "row": np.frombuffer(identifier.tk_row, dtype=np.uint16),
        "output": np.asarray(identifier.tk_output, dtype=np.int32),
    }
    head: dict[str, Any] = {"classes": list(identifier.nb_classes), "byteorder": sys.byteorder}
    offset = _HEAD
    for name in _ARRAYS:
        head[name] = [arrays[name].dtype.str, list(arrays[name].shape), offset]
        offset += -(-arrays[name].nbytes // 8) * 8
    text = json.dumps(head).encode()
    if len(_MAGIC) + 4 + len(text) > _HEAD:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".langid-", suffix=".bin")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + len(text).to_bytes(4, "little") + text)
            for name in _ARRAYS:       # zeros up to the array's offset, then the array
                f.write(b"\0" * (head[name][2] - f.tell()))
                f.write(arrays[name].tobytes())
        os.replace(tmp, path)   # atomic: concurrent workers never read half a file
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    with contextlib.suppress(OSError):
        path.with_suffix(".npz").unlink()   # the format before this one
