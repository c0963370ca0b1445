"""Plain-text ingest: encodings, line endings, references, and bad input that gets a clear error."""

from __future__ import annotations

import pytest

from frontlines.errors import FrontlinesError, InputError
from frontlines.ingest import read_document, read_string
from frontlines.ingest.loading import decode

from .conftest import DATA

TEXT = DATA / "text"


@pytest.mark.parametrize("name", ["utf8.txt", "latin1.txt", "utf16.txt", "crlf.txt"])
def test_encodings_and_line_endings(name):
    doc = read_document(TEXT / name)
    assert doc.title == "Rebels seize Hama"
    assert "Rebels captured Hama on Thursday" in doc.text
    assert "\r" not in doc.text
    assert doc.references[1].publisher == "Reuters"
    assert doc.references[1].url == "https://example.org/hama"


def test_latin1_accents_survive():
    doc = read_document(TEXT / "latin1.txt")
    assert "Maârrat al-Nuéman" in doc.text and "Héms" in doc.text


def test_same_content_same_id_other_content_other_id():
    a = read_string("Rebels took Hama on Thursday.")
    b = read_string("Rebels took Hama on Thursday.")
    c = read_string("Rebels took Homs on Thursday.")
    assert a.doc_id == b.doc_id != c.doc_id


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"   \n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes(range(256)) * 40, "binary"),
    ],
)
def test_bad_content_raises_a_clear_error(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert reason in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("Rebels advanced. " * 1000)
    with pytest.raises(InputError, match="too large"):
        read_document(path, limit=1000)
    monkeypatch.setenv("FRONTLINES_MAX_BYTES", "500")
    with pytest.raises(InputError, match="too large"):
        read_document(path)


def test_undecodable_bytes_are_an_input_error_or_text():
    # Invalid UTF-8 is either decoded by detection or refused; never a UnicodeDecodeError.
    try:
        text = decode(b"Rebels \xff\xfe\xfa took \x81 Hama " * 10, "x.txt")
    except FrontlinesError as err:
        assert "x.txt" in str(err)
    else:
        assert "Rebels" in text
