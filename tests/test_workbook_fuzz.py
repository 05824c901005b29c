"""Fuzzing ``plan import``: a filled-in plan workbook mutated part by part.

Hypothesis takes a real filled-in workbook and changes it the ways a damaged
file, a careless tool or an attacker would: bytes of the zip flipped or cut,
one XML part's text spliced with tags, entities, huge numbers, odd cell types
and row numbers, or parts dropped. Whatever it makes, the import raises
ModelError (one line per problem, no temporary path) or succeeds; nothing
else escapes, and each example takes seconds at most.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_plan_import import FILLED, fill, workbook_of

from graphmodel.api import open_area
from graphmodel.errors import ModelError
from graphmodel.plan.importer import import_workbook

from conftest import NORTHMOOR

EXAMPLES = int(os.environ.get("GRAPHMODEL_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="CI" in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
SPLICES = st.sampled_from([
    '<row r="4000000000">', '<row r="-1">', '<row r="x">', '<c r="XFD3">', '<c r="3A">',
    '<v>1e999</v>', '<v>nan</v>', '<v>99999999999</v>', '<c r="L3" t="d"><v>x</v></c>',
    '<c r="J3" t="s"><v>7</v></c>', '<c r="J3" t="b"><v>2</v></c>', '<c r="J3" t="e"><v>#N/A'
    '</v></c>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '&#0;', '&#xFFFE;', '<![CDATA[x]]>',
    '<dimension ref="A1:ZZZ9"/>', '</sheetData>', '<sheetData>', '<is><t>=1+1</t></is>',
    '\x00', '\udc80', '<?xml version="1.1"?>', '<x:c xmlns:x="y">', '"', "'", "<", ">",
])


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz") / "area"
    shutil.copytree(NORTHMOOR, folder)
    return open_area(folder), fill(workbook_of(folder), FILLED)


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@st.composite
def mutated(draw, data: bytes) -> bytes:
    how = draw(st.sampled_from(["splice", "splice", "flip", "cut", "drop"]))
    if how == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    if how == "cut":
        return data[:draw(st.integers(0, len(data)))]
    files = parts_of(data)
    name = draw(st.sampled_from(sorted(files)))
    if how == "drop":
        del files[name]
        return zipped(files)
    text = files[name].decode("utf-8", "surrogateescape")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        end = at + draw(st.integers(0, 40))
        text = text[:at] + draw(SPLICES) + text[end:]
    files[name] = text.encode("utf-8", "surrogateescape")
    return zipped(files)


@FUZZ
@given(st.data())
def test_a_mutated_workbook_is_refused_in_one_line_or_imported(filled, data):
    area, workbook = filled
    bad = data.draw(mutated(workbook))
    started = time.perf_counter()
    try:
        import_workbook(area, bad, "plan.xlsx")
    except ModelError as exc:
        for line in str(exc).splitlines():
            assert line.startswith("plan.xlsx"), line
            assert "/tmp" not in line and "Traceback" not in line
    assert time.perf_counter() - started < 10


def test_a_bad_date_in_the_document_properties_is_one_line(filled):
    """openpyxl's message for unreadable document properties runs over two lines (found by
    the fuzz test above): the error is still one line naming the workbook."""
    area, workbook = filled
    files = parts_of(workbook)
    core = files["docProps/core.xml"].decode()
    files["docProps/core.xml"] = re.sub(r"(<dcterms:created[^>]*>)[^<]*", r"\1x", core).encode()
    with pytest.raises(ModelError) as caught:
        import_workbook(area, zipped(files), "plan.xlsx")
    assert len(str(caught.value).splitlines()) == 1
    assert str(caught.value).startswith("plan.xlsx: is not an Excel workbook")
