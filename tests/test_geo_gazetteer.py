"""The user's gazetteer: imports (GeoNames txt/zip, CSV), download, `places add`, and the CLI."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli.gazetteer import gazetteer
from frontlines.cli.places import places
from frontlines.errors import FrontlinesError
from frontlines.geo import Geocoder
from frontlines.geo.build import _complete, base_index_path
from frontlines.geo.gazetteer import GazetteerDB, user_db_path
from frontlines.geo.userdata import add_place, download, import_file

FIXTURES = Path(__file__).resolve().parent / "data" / "geo"
SYRIA_PLACES = Path(__file__).resolve().parents[2] / "shared" / "data" / "syria_places.csv"


pytestmark = pytest.mark.usefixtures("geo_env")


def _resolved_id(name: str, **kwargs) -> int | str | None:
    result = Geocoder.default().resolve(name, **kwargs)
    return None if result is None else (result.place.geonames_id or result.place.place_id)


# -- imports ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["SY.txt", "SY.zip"])
def test_import_geonames_dump(fixture: str) -> None:
    assert _resolved_id("Teir Maalah") is None
    report = import_file(FIXTURES / fixture)
    assert report.places == 6  # seven rows, the stream (feature class H) left out
    assert _resolved_id("Teir Maalah") == 163285
    assert _resolved_id("Jousieh") == 168799
    result = Geocoder.default().resolve("Tayr Ma'lah")
    assert result.place.admin1 == "Homs" and result.place.feature_code == "PPL"
    assert _resolved_id("Test Stream") is None
    assert _resolved_id("Test Hill") == 900001
    governorate = Geocoder.default().resolve("Muhafazat Hims")
    assert governorate.geo_precision == 3 and governorate.place.geonames_id == 169575


def test_reimport_replaces_instead_of_doubling() -> None:
    import_file(FIXTURES / "SY.txt")
    first = GazetteerDB(user_db_path()).count()
    import_file(FIXTURES / "SY.zip")
    assert GazetteerDB(user_db_path()).count() == first


def test_import_plain_csv() -> None:
    import_file(FIXTURES / "places.csv")
    assert _resolved_id("Al-Wazi'iya") is not None
    crossing = Geocoder.default().resolve("Ikhtibar border crossing")
    assert crossing.place.feature_code == "PSTB" and crossing.place.iso == "SY"
    assert crossing.place.place_id.startswith("user:")


def test_import_headerless_csv(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("Qaryat al Tajriba,Tajriba|Tajribeh,34.1,36.2,village,Homs\n", encoding="utf-8")
    import_file(path)
    assert Geocoder.default().resolve("Tajribeh").place.name == "Qaryat al Tajriba"


@pytest.mark.skipif(not SYRIA_PLACES.exists(), reason="../shared/data/syria_places.csv is not here")
def test_import_shared_layout() -> None:
    report = import_file(SYRIA_PLACES)
    assert report.places == 10580
    result = Geocoder.default().resolve("Al Mukarramiyah")
    assert result.place.geonames_id == 8322902 and result.place.admin2 == "Ar-Rastan"
    # A place the base index also has takes the imported record (same GeoNames id).
    assert Geocoder.default().resolve("Homs").place.admin2 == "Homs"


HEADER = "name,alternate_names,latitude,longitude,kind,admin1\n"
BAD_FILES = {
    "missing.csv": None,
    "empty.csv": "",
    "header-only.csv": HEADER,
    "no-coordinates.csv": "name,alternate_names,kind\nX,,village\n",
    "bad-latitude.csv": HEADER + "X,,north,36.1,village,Homs\n",
    "out-of-range.csv": HEADER + "X,,134.1,36.1,village,Homs\n",
    "short-row.txt": "\t".join(["1"] * 19) + "\n" + "\t".join(["2"] * 7) + "\n",
    "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_import_files_name_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    content = BAD_FILES[name]
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(FrontlinesError) as caught:
        import_file(path)
    assert name in str(caught.value)


def test_zip_without_a_dump(tmp_path: Path) -> None:
    path = tmp_path / "XX.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(FrontlinesError, match="XX.zip"):
        import_file(path)


# -- places add ------------------------------------------------------------------------


def test_add_place_then_resolve() -> None:
    assert _resolved_id("Jabal al-Ghurab", context=[]) is None
    place_id = add_place("Jabal al-Ghurab", 34.3, 37.9, aliases=["Mount Gurab"], kind="mountain")
    assert _resolved_id("Jabal al-Ghurab") == place_id
    assert _resolved_id("Mount Gurab") == place_id
    assert _resolved_id("Jebel el-Ghurab") == place_id  # a transliteration of the added name
    # Adding the same place again updates it instead of adding a second one.
    add_place("Jabal al-Ghurab", 34.3, 37.9, aliases=["Mount Ghurab"])
    assert GazetteerDB(user_db_path()).count()[0] == 1
    assert _resolved_id("Mount Ghurab") == place_id


def test_add_place_rejects_bad_coordinates() -> None:
    with pytest.raises(FrontlinesError):
        add_place("Nowhere", 95.0, 36.0)


def test_rules_change_rekeys_the_user_gazetteer() -> None:
    add_place("Qaryat al Tajriba", 34.1, 36.2)
    db = GazetteerDB(user_db_path())
    db.connect().execute("UPDATE names SET norm='stale', skel='stale'")
    db.set_meta("rules", "0")
    db.close()
    Geocoder.reset_default()
    assert _resolved_id("Qaryat al-Tajriba") is not None


def test_base_index_is_reused_and_checked() -> None:
    path = base_index_path()
    assert path == base_index_path() and _complete(path)
    assert not _complete(path.with_name("missing.sqlite"))


# -- download --------------------------------------------------------------------------


@pytest.fixture
def dump_server() -> Iterator[str]:
    """A local HTTP server serving tests/data/geo (SY.zip) on a free port."""
    handler = functools.partial(_QuietHandler, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_download_from_a_server(dump_server: str) -> None:
    report = download("sy", url_base=dump_server)
    assert report.places == 6 and report.path.endswith("/SY.zip")
    assert _resolved_id("Deir Ful") == 170786


def test_download_errors_are_clear(dump_server: str) -> None:
    with pytest.raises(FrontlinesError, match="HTTP 404"):
        download("LB", url_base=dump_server)
    with pytest.raises(FrontlinesError, match="country code"):
        download("Syria", url_base=dump_server)


# -- CLI -------------------------------------------------------------------------------


def test_cli_gazetteer_import_info_and_download(dump_server: str) -> None:
    runner = CliRunner()
    result = runner.invoke(gazetteer, ["import", str(FIXTURES / "places.csv")])
    assert result.exit_code == 0 and "imported 3 places" in result.output
    result = runner.invoke(gazetteer, ["download", "SY", "--url-base", dump_server])
    assert result.exit_code == 0 and "imported 6 places" in result.output
    result = runner.invoke(gazetteer, ["info"])
    assert result.exit_code == 0 and "9 places" in result.output and "GeoNames" in result.output


def test_cli_import_error_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.csv"
    bad.write_text("just,a,header\n", encoding="utf-8")
    result = CliRunner().invoke(gazetteer, ["import", str(bad)])
    assert result.exit_code != 0 and "broken.csv" in result.output


def test_cli_places_add_and_lookup() -> None:
    runner = CliRunner()
    result = runner.invoke(places, ["add", "Jabal al-Ghurab", "34.3", "37.9",
                                    "--alias", "Mount Gurab", "--kind", "mountain"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(places, ["lookup", "Mount Gurab"])
    assert result.exit_code == 0 and "Jabal al-Ghurab" in result.output
    assert "geo_precision 1" in result.output
    result = runner.invoke(places, ["lookup", "Tripoli", "--near", "Misrata", "--json"])
    assert json.loads(result.output)["resolution"]["iso"] == "LY"
    result = runner.invoke(places, ["lookup", "Teir Maalah"])
    assert "unresolved" in result.output


def test_cli_places_unresolved(tmp_path: Path) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text(
        "Rebels captured Talbiseh, Deir Ful and Teir Maalah north of Homs.\n\n"
        "Shelling hit the village of Umm Sharshuh.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(places, ["--unresolved", str(doc)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    found = {line.split(": ", 1)[1].split("\t")[0] for line in lines}
    assert found == {"Deir Ful", "Teir Maalah", "Umm Sharshuh"}
    assert all("geo_precision 2" in line for line in lines)
    runner.invoke(places, ["add", "Deir Ful", "34.92417", "36.84113"])
    missing = tmp_path / "missing.txt"
    result = runner.invoke(places, ["unresolved", "--json", str(doc), str(missing)])
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    names = [row["name"] for row in rows]
    assert names == ["Teir Maalah", "Umm Sharshuh"]
    assert result.exit_code == 1 and "missing.txt" in result.output
