from datetime import date

import pytest

from km_crm.knowledge.article_shape import (
	SECTIONS,
	KcsError,
	missing_sections,
	normalize_tags,
	split_sentences,
	validate_dates,
)


def test_sections_order_and_labels():
	assert [f for f, _ in SECTIONS] == ["issue", "environment", "resolution", "cause"]


def test_missing_sections_treats_empty_editor_html_as_missing():
	article = {"issue": "<p><br></p>", "resolution": "<p>Restart the service.</p>"}
	assert missing_sections(article) == ["issue"]
	assert missing_sections({"issue": "<p>x</p>", "resolution": " "}) == ["resolution"]
	assert missing_sections({}) == ["issue", "resolution"]
	assert missing_sections({"issue": "a", "resolution": "b"}) == []


def test_missing_sections_custom_required():
	article = {"issue": "a", "resolution": "b", "cause": "<script>x</script>"}
	assert missing_sections(article, required=("issue", "cause", "environment")) == ["cause", "environment"]


def test_split_sentences_english_and_chinese():
	text = "Printer offline. Version 1.2 is fine! 打印机无法连接。重启后正常！Done?"
	assert split_sentences(text) == [
		"Printer offline.",
		"Version 1.2 is fine!",
		"打印机无法连接。",
		"重启后正常！",
		"Done?",
	]


def test_normalize_tags():
	assert normalize_tags("ERPNext, erpnext ,Stock，库存、 库存 ; Sales   Order\nPOS") == [
		"ERPNext",
		"Stock",
		"库存",
		"Sales Order",
		"POS",
	]
	assert normalize_tags(["a,b", "B", None, "  "]) == ["a", "b"]
	assert normalize_tags(",a,b,") == ["a", "b"]  # Frappe's _user_tags format
	assert normalize_tags(None) == []
	assert normalize_tags("") == []
	long_tag = normalize_tags("x" * 100)
	assert long_tag == ["x" * 64]


def test_validate_dates():
	validate_dates(date(2024, 1, 1), date(2024, 6, 1))
	validate_dates(date(2024, 1, 1), date(2024, 1, 1))
	validate_dates(None, "2024-01-01")
	validate_dates("2024-01-01", None)
	validate_dates(date(2020, 1, 1), None)  # a past review date is allowed
	with pytest.raises(KcsError) as info:
		validate_dates("2024-06-01", "2024-05-31")
	assert info.value.message == "Expires On (2024-05-31) cannot be before Review By (2024-06-01)"
	assert isinstance(info.value, ValueError)
	with pytest.raises(KcsError):
		validate_dates("not a date", None)
