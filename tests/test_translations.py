"""Every user-facing string of km_crm has a Simplified Chinese translation in km_crm/translations/zh.csv.

Site-free: the strings are extracted from the source tree (DocType / Workspace / Report / Page JSON,
``_()`` in Python, ``__()`` in JavaScript, runtime messages, role names) by ``tests/translatable_strings.py``
without importing frappe. When this test fails after you add a string, add a ``source,translation`` row
to zh.csv (``python tests/translatable_strings.py --missing`` lists what is missing).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from translatable_strings import ZH_CSV, extract, js_strings, placeholders


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
	assert ZH_CSV.exists(), f"{ZH_CSV} is missing"
	with open(ZH_CSV, encoding="utf-8", newline="") as f:
		return list(csv.reader(f, strict=True))


@pytest.fixture(scope="module")
def translations(rows) -> dict[str, str]:
	return {row[0]: row[1] for row in rows if len(row) >= 2}


@pytest.fixture(scope="module")
def extracted() -> dict[str, str]:
	return extract()


def test_csv_parses_as_source_translation_rows(rows):
	bad = [(i, row) for i, row in enumerate(rows, 1) if len(row) not in (2, 3) or not row[0]]
	assert not bad, f"zh.csv rows must be `source,translation[,context]`; bad rows: {bad}"


def test_csv_has_no_duplicate_sources(rows):
	counts = Counter((row[0], row[2] if len(row) > 2 else "") for row in rows if row)
	duplicates = sorted(source for (source, _context), n in counts.items() if n > 1)
	assert not duplicates, f"zh.csv lists these sources more than once: {duplicates}"


def test_translations_are_not_empty(rows):
	empty = [row[0] for row in rows if len(row) < 2 or not row[1].strip()]
	assert not empty, f"zh.csv has empty translations for: {empty}"


def test_translations_keep_placeholders(translations):
	broken = {
		source: (sorted(placeholders(source)), sorted(placeholders(target)))
		for source, target in translations.items()
		if placeholders(source) != placeholders(target)
	}
	assert not broken, "translations must keep the placeholders of their source:\n" + "\n".join(
		f"  {source!r}: source {want}, translation {got}" for source, (want, got) in broken.items()
	)


def test_every_user_facing_string_is_translated(extracted, translations):
	missing = {s: where for s, where in extracted.items() if not translations.get(s, "").strip()}
	assert not missing, (
		f"{len(missing)} user-facing string(s) have no Chinese translation; add `source,translation` rows "
		"to km_crm/translations/zh.csv:\n" + "\n".join(f"  {s!r}  ({where})" for s, where in missing.items())
	)


def test_extraction_finds_the_known_kinds_of_strings(extracted):
	# One sample of each source, so a broken extractor cannot pass the test above by finding nothing.
	for sample in (
		"KM Article",  # DocType name
		"Review By",  # field label
		"Needs Review",  # Select option
		"Knowledge Gaps",  # report / workspace
		"KM Committee Member",  # role
		"submit for review",  # ACTION_LABELS
		"Not a valid date: {value}",  # MSG_* constant
		"Submit for Review",  # __() in JavaScript
	):
		assert sample in extracted, f"the extractor no longer finds {sample!r}"
	assert not {"en", "zh", "tantivy", "elasticsearch"} & set(extracted)


def test_js_extraction_handles_quotes_escapes_and_templates():
	source = r"""
        __("Say \"hi\"") + __('It\'s {0}', [x]) + __(`Plain`) + __(`Skip ${x}`)
        // __("commented out")
        __(
            "Next line"
        )
        frappe.x__("not a call")
    """
	assert js_strings(source) == ['Say "hi"', "It's {0}", "Plain", "Next line"]
