"""The corpora as a whole: no located row outside the war's countries unless the text names
that country, and every division named with its kind resolved as the division.  Skips when
../shared is not beside the repository."""

from __future__ import annotations

import re

import pytest

from frontlines.geo.audit import foreign_rows, run_gold_folder
from frontlines.geo.countries import countries_named
from frontlines.profiles import available_profiles, load_profile

from .conftest import SHARED

FOLDERS = ("syria-2024", "syria-history", "other-wars")
DIVISION = re.compile(r"\b(?:Governorate|Oblast|Province|State|Region)$", re.I)

pytestmark = pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared is not here")


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory):
    from frontlines.geo import Geocoder

    runs = []
    with pytest.MonkeyPatch.context() as patch:  # out of the box: a fresh, empty home
        patch.setenv("FRONTLINES_HOME", str(tmp_path_factory.mktemp("corpus_home")))
        patch.setenv("FRONTLINES_CACHE", str(tmp_path_factory.getbasetemp() / "geo-cache"))
        Geocoder.reset_default()
        for folder in FOLDERS:
            runs += list(run_gold_folder(SHARED / "corpus" / folder, available_profiles()))
        Geocoder.reset_default()
    return runs


def test_no_row_lies_outside_the_wars_countries_unless_the_text_names_it(corpus_runs):
    outside = []
    for name, _, analysis in corpus_runs:
        profile = load_profile(analysis.profile)
        allowed = {profile.iso, *profile.neighbours}
        named = countries_named(analysis.document.text)
        outside += [(name, row) for row in foreign_rows(analysis, allowed, named)]
    assert corpus_runs and outside == []


def test_divisions_named_with_their_kind_resolve_to_the_division(corpus_runs):
    divisions = [(name, m) for name, _, analysis in corpus_runs for m in analysis.mentions
                 if DIVISION.search(m.text) and m.text[0].isupper()]
    assert divisions
    wrong = [(name, m.text, m.geo_precision) for name, m in divisions
             if m.geo_precision != 3 or m.place is None or m.place.latitude is None]
    assert wrong == []
