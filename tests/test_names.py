"""Names compared as people see them: one Unicode form (NFC) and case-folded.

A name saved decomposed (as macOS writes it: "e" and a combining accent) and
typed composed, or the reverse, is the same name; so is one typed in another
case, including letters whose case folds to two ("STRASSE", "Straße").
"""

from __future__ import annotations

import unicodedata

import pytest
from typer.testing import CliRunner

from graphmodel.api import open_area
from graphmodel.cli import app
from graphmodel.names import NameIndex, fold

from conftest import edit

NAME = "Brightpath Santé Straße"
NFC, NFD = unicodedata.normalize("NFC", NAME), unicodedata.normalize("NFD", NAME)


def test_the_two_forms_differ_but_fold_alike():
    assert NFC != NFD
    assert fold(NFC) == fold(NFD)
    assert NameIndex.key(NFD) == NameIndex.key(NFC.upper().replace("ß", "SS"))


@pytest.mark.parametrize("saved, typed", [(NFD, NFC), (NFC, NFD)],
                         ids=["nfd-saved-nfc-typed", "nfc-saved-nfd-typed"])
def test_a_name_is_found_whichever_form_was_saved_or_typed(area_copy, saved, typed):
    edit(area_copy / "parties.yaml", "    name: Brightpath\n",
         f"    name: {saved}\n    aliases: [Brightpath]\n")
    area = open_area(area_copy)
    assert area.resolve(typed) == "brightpath"
    assert area.resolve(typed.upper().replace("SS", "ß")) == "brightpath"
    result = CliRunner().invoke(app, ["party", typed, "-m", str(area_copy), "-f", "json"])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("saved, typed", [(NFD, NFC), (NFC, NFD)],
                         ids=["nfd-saved-nfc-typed", "nfc-saved-nfd-typed"])
def test_gaps_org_takes_either_form(area_copy, saved, typed):
    edit(area_copy / "parties.yaml", "    name: Brightpath\n",
         f"    name: {saved}\n    aliases: [Brightpath]\n")
    result = CliRunner().invoke(app, ["gaps", "-m", str(area_copy), "--org", typed,
                                      "-f", "json"])
    assert result.exit_code == 0, result.stderr
