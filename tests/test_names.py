"""Proper-name chunks: where one place name ends and the next begins.  Sentences are our own."""

from __future__ import annotations

import pytest

from frontlines.extract.names import name_chunks


@pytest.mark.parametrize("text, names", [
    ("the villages of Tell Al-Sharqi and Kafr Basma", ["Tell Al-Sharqi", "Kafr Basma"]),
    ("the hamlets of Ayn Al-Kubra and Ayn Al-Sughra", ["Ayn Al-Kubra", "Ayn Al-Sughra"]),
    ("Urum Al-Jadida fell", ["Urum Al-Jadida"]),
    ("Al-Mansura Al-Bab", ["Al-Mansura", "Al-Bab"]),  # a list that lost its comma
    ("Deir Al-Asafir", ["Deir Al-Asafir"]),
    ("Ras al Ain and Tell as-Sultan", ["Ras al Ain", "Tell as-Sultan"]),
    ("Selydove as Moscow's troops advanced", ["Selydove", "Moscow"]),
    ("Armanaz at Kafr Takharim", ["Armanaz", "Kafr Takharim"]),
    # a country's possessive opens no part of the name; another possessive stays
    ("struck Syria's Idlib province", ["Idlib"]),
    ("an oil depot in Russia’s Bryansk region", ["Bryansk"]),
    ("Russia's troops", ["Russia"]),
    ("the Donetsk People's Republic", ["Donetsk People's Republic"]),
])
def test_name_chunks(text, names):
    assert [c.text for c in name_chunks(text)] == names
