"""`frontlines profile new|check|suggest`: an author writes a working profile for a war the
package does not ship, with the tool's help, and extracts changes with the right sides."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from frontlines.cli import cli

# Three short reports of our own about an imagined war in Mali (published on the date in each
# file name).
REPORTS = {
    "2031-03-14-aguelhok.txt": (
        "Rebels seize Aguelhok in northern Mali\n\n"
        "KIDAL, 14 March 2031 – Fighters of the Azawad Liberation Front captured the town of Aguelhok on "
        "Thursday after clashes with the Malian army, the group said in a statement.\n\n"
        "The Azawad Liberation Front also said it had taken an army post outside Tessalit. Malian troops "
        "withdrew towards Kidal, residents said.\n"),
    "2031-03-25-aguelhok.txt": (
        "Army retakes Aguelhok\n\n"
        "BAMAKO, 25 March 2031 – The Malian army recaptured Aguelhok from the Azawad Liberation Front on "
        "Monday, the army general staff said. Army units backed by drones entered the town after two days "
        "of fighting, and the rebels withdrew north.\n"),
    "2031-04-02-bourem.txt": (
        "Convoy ambushed near Bourem\n\n"
        "GAO, 2 April 2031 – Militants of the Support Group for Islam and Muslims (JNIM) attacked an army "
        "convoy near Bourem on Tuesday, killing five soldiers. JNIM fighters later stormed a checkpoint "
        "outside Niono, the army said.\n"),
}


@pytest.fixture
def reports(tmp_path, geo_env):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_new_check_suggest_then_extract_with_the_right_sides(reports, tmp_path):
    runner = CliRunner()
    path = tmp_path / "sahel.toml"
    made = runner.invoke(cli, ["profile", "new", "sahel", "--country", "ML", "--output", str(path)])
    assert made.exit_code == 0, made.output
    skeleton = path.read_text()
    for filled in ('iso = "ML"', "iso_numeric = 466", 'region = "Western Africa"', 'name = "Bamako"'):
        assert filled in skeleton
    assert '"NE"' in skeleton and '"DZ"' in skeleton  # neighbours

    checked = runner.invoke(cli, ["profile", "check", str(path)])
    assert checked.exit_code == 1
    assert "warning: side 'rebels' has no actors" in checked.output

    files = [str(p) for p in sorted(reports.glob("*.txt"))]
    suggested = runner.invoke(cli, ["profile", "suggest", *files, "--profile", str(path)])
    assert suggested.exit_code == 0, suggested.output
    names = [line.split("(")[0].split(None, 1)[1].strip() for line in suggested.output.splitlines()]
    assert names[0] == "Azawad Liberation Front"  # the most frequent group comes first
    assert "JNIM" in names and "Malian" in names

    # The author adds what the suggestions show, in the schema the skeleton documents.
    text = skeleton.replace('aliases = ["Mali\'s army"', 'aliases = ["Malian army", "Malian troops", "Mali\'s army"')
    text = text.replace('adjectives = ["government", "army"]', 'adjectives = ["Malian", "government", "army"]')
    text += ('\n[sides.jihadists]\nlabel = "Jihadist groups"\ncolour = "#555555"\n\n'
             '[[actors]]\nname = "Azawad Liberation Front"\nside = "rebels"\ntype = "Rebel group"\ninter = 2\n'
             'aliases = ["FLA"]\n\n'
             '[[actors]]\nname = "JNIM"\nside = "jihadists"\ntype = "Rebel group"\ninter = 2\n'
             'aliases = ["Support Group for Islam and Muslims", "JNIM fighters"]\n')
    path.write_text(text)
    assert runner.invoke(cli, ["profile", "check", str(path)]).output.strip().endswith(": ok")
    again = runner.invoke(cli, ["profile", "suggest", *files, "--profile", str(path)])
    assert "Azawad Liberation Front" not in again.output and "JNIM" not in again.output

    changes = {}
    for name in files:
        published = name.rsplit("/", 1)[1][:10]
        out = runner.invoke(cli, ["extract", name, "--json", "--profile", str(path), "--published", published])
        assert out.exit_code == 0, out.output
        for change in json.loads(out.stdout)["control_changes"]:
            changes[(change["place"], change["date"])] = (change["previous_controller"], change["new_controller"])
    assert changes[("Aguelhok", "2031-03-13")] == ("government", "rebels")
    assert changes[("Aguelhok", "2031-03-24")] == ("rebels", "government")


def test_check_reports_broken_profiles_with_their_lines(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[profile]\nname = "broken"\nregion = "Middle Orient"\n\n[sides.a]\n[sides.b]\n\n'
                    '[[actors]]\nname = "A Army"\nside = "a"\ntype = "State forces"\ninter = 1\n'
                    'aliases = ["US", "Homs"]\n\n'
                    '[[actors]]\nname = "B Front"\nside = "b"\ntype = "Rebel group"\ninter = 2\n'
                    'aliases = ["us"]\n')
    result = CliRunner().invoke(cli, ["profile", "check", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{path}:3: error: region 'Middle Orient' is not an ACLED region" in lines[0]
    assert any(line.startswith(f"{path}:13: warning: actor 'A Army': the bare acronym 'US'") for line in lines)
    assert any(line.startswith(f"{path}:20: warning: alias 'us' of actor 'B Front' already names") for line in lines)


def test_check_reports_aliases_that_are_places_and_unknown_capitals(tmp_path, geo_env):
    path = tmp_path / "places.toml"
    path.write_text('[profile]\nname = "places"\niso = "SY"\nregion = "Middle East"\n\n'
                    '[[capitals]]\nname = "Atlantis City"\n\n[sides.a]\n[sides.b]\n\n'
                    '[[actors]]\nname = "A Army"\nside = "a"\ntype = "State forces"\ninter = 1\n\n'
                    '[[actors]]\nname = "Homs Military Council"\nside = "b"\ntype = "Rebel group"\ninter = 2\n'
                    'aliases = ["Homs"]\n')
    result = CliRunner().invoke(cli, ["profile", "check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:7: warning: capital 'Atlantis City' is not in the gazetteer" in result.output
    assert f"{path}:23: warning: alias 'Homs' of actor 'Homs Military Council' is a place" in result.output


@pytest.mark.parametrize("name", ["syria", "ukraine", "sudan"])
def test_check_passes_on_every_shipped_profile(name, geo_env):
    result = CliRunner().invoke(cli, ["profile", "check", name])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"{name}.toml: ok")


def test_new_refuses_an_unknown_country_and_an_existing_file(tmp_path):
    runner = CliRunner()
    unknown = runner.invoke(cli, ["profile", "new", "x", "--country", "QQ", "--output", str(tmp_path / "x.toml")])
    assert unknown.exit_code == 1 and "unknown country code 'QQ'" in unknown.output
    existing = tmp_path / "y.toml"
    existing.write_text("keep me")
    refused = runner.invoke(cli, ["profile", "new", "y", "--country", "SD", "--output", str(existing)])
    assert refused.exit_code == 1 and "already exists" in refused.output
    assert existing.read_text() == "keep me"


def test_suggest_reports_an_unreadable_file_and_reads_the_others(tmp_path, geo_env):
    good = tmp_path / "good.txt"
    good.write_text("KIDAL, 14 March 2031 – Fighters of the Azawad Liberation Front captured Aguelhok.\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = CliRunner().invoke(cli, ["profile", "suggest", str(empty), str(good), "--profile", "syria"])
    assert result.exit_code == 1
    assert f"{empty}: empty file" in result.output
    assert "Azawad Liberation Front" in result.output
