"""Bad and hostile input: huge files, binary blobs, empty files, streams, Arabic documents.

tests/test_cli.py covers a missing file, a directory, one binary blob, an empty file and
the size limit with a tiny FRONTLINES_MAX_BYTES; this file covers the rest of the contract:
a 100 MB file is refused before it is read (bounded memory), every kind of binary is one
line naming the file, and a document in Arabic is read and says that it was not understood.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest

from frontlines.errors import InputError
from frontlines.ingest import read_document, read_string
from frontlines.ingest.language import dominant_script, script_warning
from frontlines.ingest.loading import DEFAULT_MAX_BYTES, decode, read_bytes
from frontlines.pipeline import run

from .conftest import EXAMPLE

MB = 1024 * 1024
ARABIC_NOTE = "text is mostly Arabic script; extraction covers English text only"
ARABIC = (
    "سيطرت فصائل المعارضة السورية فجر الجمعة على مدينتي الرستن وتلبيسة في ريف حمص الشمالي، "
    "بعد انسحاب قوات النظام منهما، بحسب ما أفاد المرصد السوري لحقوق الإنسان.\n\n"
    "وقال المرصد إن الفصائل تقدمت نحو مدينة حمص من الشمال، فيما شنت طائرات حربية روسية "
    "غارات على محيط المدينة.\n"
)


def extract_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frontlines", "extract", *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (a hole), made in an instant."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


# -- the size limit: a 100 MB file --------------------------------------------------------


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path):
    path = sparse_file(tmp_path / "huge.txt", 100 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            read_document(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB  # refused from its size: not one byte of it was loaded
    message = str(caught.value)
    assert DEFAULT_MAX_BYTES == 50 * MB
    assert message == f"{path}: too large (100.0 MB; the limit is 50.0 MB)"


def test_extract_refuses_a_100_mb_real_file_with_one_line_and_goes_on(tmp_path):
    path = tmp_path / "huge.txt"
    line = b"Rebels captured the town of Talbiseh on Friday, a monitor said.\n"
    with path.open("wb") as handle:
        handle.write(line * (100 * MB // len(line) + 1))
    result = extract_cli(str(path), str(EXAMPLE), "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (message,) = result.stderr.strip().split("\n")
    assert message.startswith(f"frontlines: {path}: too large (") and "the limit is 50.0 MB" in message
    assert json.loads(result.stdout)["document"]["title"] == "2024 Homs offensive"


def test_the_limit_follows_frontlines_max_bytes(tmp_path, monkeypatch):
    path = sparse_file(tmp_path / "two-mb.txt", 2 * MB)
    monkeypatch.setenv("FRONTLINES_MAX_BYTES", str(1 * MB))
    with pytest.raises(InputError, match="too large"):
        read_bytes(path)
    monkeypatch.setenv("FRONTLINES_MAX_BYTES", "not a number")  # ignored: the default applies
    assert len(read_bytes(path)) == 2 * MB


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_stream_is_refused_unread():
    """A device or pipe has no size to check first, and reading it may never end: refused."""
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="is a device, not a regular file: refused unread"):
            read_bytes("/dev/zero", limit=4 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6 * MB


# -- binary and empty input ---------------------------------------------------------------


def _binaries(folder: Path) -> dict[str, tuple[Path, str]]:
    """Files that are not text documents, and a word their error line must contain."""
    prose = b"Rebels captured the town of Talbiseh on Friday, a monitor said. " * 500
    noise = bytes((i * 7919 + 13) % 256 for i in range(20000))
    files = {
        "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise, "binary"),
        "gzip": (gzip.compress(prose), "binary"),
        "pdf": (b"%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + zlib.compress(prose), "binary"),
        "late-nul": (prose + b"\x00" * 4096 + prose, "binary"),  # text, then a binary blob
        "controls": (bytes(range(1, 9)) * 1000, "binary"),
        "utf16-garbage": (b"\xff\xfe" + b"\x00\xd8" * 50, "UTF-16"),
        "high-bytes": (bytes(range(128, 256)) * 50, "undecodable"),
        "bom-only": (b"\xef\xbb\xbf", "empty"),
        "whitespace": (b" \n\t\r\n  \n", "empty"),
    }
    out = {}
    for name, (data, reason) in files.items():
        path = folder / f"{name}.txt"
        path.write_bytes(data)
        out[name] = (path, reason)
    return out


def test_every_kind_of_binary_or_empty_input_is_one_clear_line(tmp_path):
    bad = _binaries(tmp_path)
    result = extract_cli(*(str(p) for p, _ in bad.values()), str(EXAMPLE), "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.strip().split("\n")
    assert len(lines) == len(bad)
    for (path, reason), line in zip(bad.values(), lines):
        assert line.startswith(f"frontlines: {path}: ") and reason in line, line
    assert json.loads(result.stdout)["document"]["title"] == "2024 Homs offensive"


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n", b"\xef\xbb\xbf  \n"])
def test_empty_input_alone_exits_non_zero(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    result = extract_cli(str(path))
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.strip().split("\n")
    assert line.startswith(f"frontlines: {path}: empty")


def test_decode_names_the_file_for_each_refusal():
    for data in (b"", b"\x00\x01\x02", b"abc\x00def"):
        with pytest.raises(InputError) as caught:
            decode(data, "doc.txt")
        assert str(caught.value).startswith("doc.txt: ")


# -- a document in Arabic -----------------------------------------------------------------


def test_an_arabic_document_is_read_and_says_it_was_not_understood():
    doc = read_string(ARABIC, source="ar.txt")
    assert ARABIC_NOTE in doc.warnings
    analysis = run(doc)  # no error; events may be empty
    contract = analysis.to_contract()
    assert contract["document"]["warnings"] == [ARABIC_NOTE]
    assert isinstance(contract["events"], list)


def test_extract_on_an_arabic_file_exits_zero_with_a_note(tmp_path):
    path = tmp_path / "homs-ar.txt"
    path.write_text(ARABIC, encoding="utf-8")
    result = extract_cli(str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"frontlines: {path}: note: {ARABIC_NOTE}"
    assert json.loads(result.stdout)["document"]["warnings"] == [ARABIC_NOTE]


def test_arabic_in_windows_1256_is_decoded_too(tmp_path):
    path = tmp_path / "cp1256.txt"
    path.write_bytes((ARABIC * 3).encode("cp1256"))
    doc = read_document(path)
    assert ARABIC_NOTE in doc.warnings and "الرستن" in doc.text


def test_english_with_arabic_names_is_not_flagged():
    text = ("On 6 December 2024, opposition forces captured Al-Rastan (الرستن) and Talbiseh "
            "(تلبيسة), the Syrian Observatory for Human Rights said.")
    assert script_warning(text) is None
    assert read_string(text).warnings == []


@pytest.mark.parametrize("text, script", [
    ("Українські війська звільнили Ізюм і Куп'янськ у Харківській області.", "Cyrillic"),
    ("צה״ל נכנס לאזור החיץ ברמת הגולן בשבת בבוקר.", "Hebrew"),
    ("123 456 — !!!", None),
    (EXAMPLE.read_text(encoding="utf-8"), "Latin"),
])
def test_the_dominant_script(text, script):
    assert dominant_script(text) == script


def _dominant_script_letter_by_letter(text: str) -> str | None:
    """The rule itself, every letter looked up (what `dominant_script` computes faster)."""
    from frontlines.ingest.language import MIN_LETTERS, MOSTLY, SAMPLE, script_of

    letters = [script_of(c) for c in text[:SAMPLE] if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return None
    best = max(set(letters), key=letters.count)
    return best if letters.count(best) / len(letters) > MOSTLY else None


def test_the_dominant_script_is_the_letter_by_letter_count():
    import random

    rng = random.Random(7)
    pieces = ["forces captured the town ", "Ізюм і Куп'янськ ", "الرستن وتلبيسة ", "בבוקר ", "Ḥamā ", "é",
              "— ", "123 ", "東京 ", "Ελλάδα ", "ß", "  \n"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    texts.append(EXAMPLE.read_text(encoding="utf-8"))
    for text in texts:
        assert dominant_script(text) == _dominant_script_letter_by_letter(text), text


# -- paragraphs: blank lines with spaces on them ---------------------------------------------


@pytest.mark.parametrize("gap", [". \n\n", ".\n \n", ".\t\n\t \n", ". \n\n\n  \n"])
def test_spaces_around_a_blank_line_do_not_join_paragraphs(gap):
    from frontlines.text.layout import paragraphs
    from frontlines.text.sentences import segment

    text = (f"Rebels advanced on the town of Ariha on Monday, a monitor said{gap}"
            "On Tuesday the army shelled the road to the south of the town, residents said.")
    paras = paragraphs(text)
    assert [p.text for p in paras] == [text[:text.index(gap) + 1], text[text.rindex("On Tuesday"):]]
    doc = read_string(text, format="text")
    zones = [s.zone for s in segment(doc)]
    assert zones == ["lead", "body"]
