import json
from datetime import date, datetime

import pytest

from km_crm.knowledge.versioning import (
	CONTENT_FIELDS,
	VERSIONED_FIELDS,
	FieldDiff,
	VersioningError,
	changed_fields,
	compare,
	content_changed,
	content_hash,
	diff_html,
	load_snapshot,
	next_version_number,
	render_comparison_html,
	restore_payload,
	snapshot,
	snapshot_json,
	tokenize_for_diff,
)

ARTICLE = {
	"name": "KA-0001",
	"status": "Published",
	"title": "Printer offline ",
	"summary": None,
	"issue": "<p>The printer is offline.</p>",
	"environment": "<p>ERPNext v15</p>",
	"resolution": "<p>Restart the print server.</p>",
	"cause": "",
	"language": "en",
	"audience": "Internal",
	"category": "Hardware",
	"tags": "printer, Hardware,printer",
	"items": [{"name": "row1", "idx": 2, "item": "PRN-2"}, {"name": "row2", "idx": 1, "item": "PRN-1"}],
	"translation_of": None,
	"review_by": date(2024, 12, 31),
	"expires_on": datetime(2025, 6, 30, 0, 0),
	"modified": "2024-01-01 10:00:00",
}


def test_snapshot_keeps_only_versioned_fields_normalised():
	snap = snapshot(ARTICLE)
	assert tuple(snap) == VERSIONED_FIELDS
	assert "status" not in snap and "modified" not in snap
	assert snap["title"] == "Printer offline"
	assert snap["summary"] == "" and snap["translation_of"] == ""
	assert snap["tags"] == ["Hardware", "printer"]
	assert snap["items"] == ["PRN-1", "PRN-2"]
	assert snap["review_by"] == "2024-12-31"
	assert snap["expires_on"] == "2025-06-30T00:00:00"


def test_snapshot_json_is_stable_and_keeps_unicode():
	article = dict(ARTICLE, title="打印机离线")
	text = snapshot_json(article)
	assert "打印机离线" in text
	assert text == snapshot_json(dict(reversed(list(article.items()))))
	assert list(json.loads(text)) == sorted(VERSIONED_FIELDS)


def test_content_hash_same_for_equivalent_and_different_for_changed():
	same = dict(ARTICLE, tags=["printer", "Hardware"], items=["PRN-2", "PRN-1"], title="Printer offline")
	assert content_hash(snapshot(ARTICLE)) == content_hash(snapshot(same))
	assert len(content_hash(snapshot(ARTICLE))) == 64
	changed = dict(ARTICLE, resolution="<p>Restart the spooler.</p>")
	assert content_hash(snapshot(ARTICLE)) != content_hash(snapshot(changed))
	recased_tag = dict(ARTICLE, tags="printer, hardware")
	assert content_hash(snapshot(ARTICLE)) != content_hash(snapshot(recased_tag))


def test_snapshot_round_trips_through_json():
	assert load_snapshot(snapshot_json(ARTICLE)) == snapshot(ARTICLE)
	with pytest.raises(VersioningError):
		load_snapshot("{not json")
	with pytest.raises(VersioningError):
		load_snapshot("[1, 2]")


def test_changed_fields_and_content_changed():
	new = dict(ARTICLE, audience="Customer", resolution="<p>Restart the spooler.</p>")
	assert changed_fields(ARTICLE, new) == ["resolution", "audience"]
	assert content_changed(ARTICLE, new)
	metadata_only = dict(ARTICLE, audience="Public", tags="printer")
	assert changed_fields(ARTICLE, metadata_only) == ["audience", "tags"]
	assert not content_changed(ARTICLE, metadata_only)
	resaved = dict(ARTICLE, issue="<p>The printer is offline.</p>\n  ", title="Printer offline")
	assert changed_fields(ARTICLE, resaved) == []
	assert not content_changed(ARTICLE, resaved)
	assert set(CONTENT_FIELDS) <= set(VERSIONED_FIELDS)


def test_diff_tokens_english_words_chinese_characters():
	assert tokenize_for_diff("Restart the server.") == ["Restart", " ", "the", " ", "server", "."]
	assert tokenize_for_diff("重启服务器") == ["重", "启", "服", "务", "器"]
	text = "Use ERPNext 版本15, then 重启。"
	assert "".join(tokenize_for_diff(text)) == text


def test_word_level_diff():
	html = diff_html("Restart the print server.", "Restart the spooler server.")
	assert (
		html
		== 'Restart the <del class="km-diff-del">print</del><ins class="km-diff-ins">spooler</ins> server.'
	)


def test_adjacent_word_changes_read_as_one_change():
	html = diff_html("The printer is offline today", "A spooler was offline today")
	assert html == (
		'<del class="km-diff-del">The printer is</del><ins class="km-diff-ins">A spooler was</ins> offline today'
	)
	assert diff_html("same", "same") == "same"
	assert diff_html("", "new") == '<ins class="km-diff-ins">new</ins>'
	assert diff_html("old", "") == '<del class="km-diff-del">old</del>'


def test_chinese_diff_is_per_character():
	html = diff_html("打印机无法连接", "打印机可以连接")
	assert html == '打印机<del class="km-diff-del">无法</del><ins class="km-diff-ins">可以</ins>连接'


def test_script_in_content_is_shown_as_text_in_diff():
	a = dict(ARTICLE, title="Hello")
	b = dict(
		ARTICLE, title='Hello <script>alert("x")</script>', issue="<p>&lt;img src=x onerror=alert(1)&gt;</p>"
	)
	diffs = {d.field: d for d in compare(a, b)}
	assert "<script>" not in diffs["title"].html
	assert "&lt;script&gt;" in diffs["title"].html
	assert "<img" not in diffs["issue"].html
	assert "&lt;img src=x onerror=alert(1)&gt;" in diffs["issue"].html
	table = render_comparison_html(compare(a, b, labels=("v1 <b>", "v2")))
	assert "<script" not in table and "<img" not in table and "<b>" not in table
	assert "v1 &lt;b&gt;" in table
	# the only tags in the rendered table are ours
	tags = {t.split()[0] for t in __import__("re").findall(r"</?([a-z]+)", table)}
	assert tags <= {"table", "thead", "tbody", "tr", "th", "td", "del", "ins", "br"}


def test_compare_reports_every_field_with_changed_flag():
	new = dict(ARTICLE, title="Printer offline again", tags="printer")
	diffs = compare(ARTICLE, new, labels=("v1", "v2"))
	assert [d.field for d in diffs] == list(VERSIONED_FIELDS)
	changed = [d.field for d in diffs if d.changed]
	assert changed == ["title", "tags"]
	title = diffs[0]
	assert isinstance(title, FieldDiff)
	assert (title.label, title.old, title.new) == ("Title", "Printer offline", "Printer offline again")
	assert '<ins class="km-diff-ins">' in title.html
	issue = diffs[VERSIONED_FIELDS.index("issue")]
	assert issue.old == issue.new == "The printer is offline."
	assert "km-diff" not in issue.html
	tags = diffs[VERSIONED_FIELDS.index("tags")]
	assert (tags.old, tags.new) == ("Hardware, printer", "printer")


def test_render_comparison_html_uses_version_labels_and_can_hide_unchanged():
	new = dict(ARTICLE, title="Printer offline again")
	diffs = compare(ARTICLE, new, labels=("Version 3", "Version 4"))
	table = render_comparison_html(diffs, only_changed=True)
	assert "<th>Version 3</th><th>Version 4</th>" in table
	assert table.count("<tr class=") == 1
	assert "Printer offline again" not in table  # shown as a diff, not as whole text
	full = render_comparison_html(diffs)
	assert full.count("<tr class=") == len(VERSIONED_FIELDS)


def test_multiline_text_uses_br():
	html = diff_html("line one", "line one\nline two")
	assert "<br>" in html and "\n" not in html


def test_restore_payload_round_trip():
	payload = restore_payload(snapshot_json(ARTICLE))
	assert set(payload) == set(VERSIONED_FIELDS)
	assert payload["tags"] == "Hardware, printer"
	assert payload["items"] == ["PRN-1", "PRN-2"]
	assert payload["translation_of"] is None
	assert payload["review_by"] == "2024-12-31"
	assert payload["issue"] == "<p>The printer is offline.</p>"
	# restoring and snapshotting again gives the same content hash
	assert content_hash(snapshot(payload)) == content_hash(snapshot(ARTICLE))
	empty_dates = restore_payload(dict(ARTICLE, review_by=None, expires_on=""))
	assert empty_dates["review_by"] is None and empty_dates["expires_on"] is None


@pytest.mark.parametrize(
	("current", "published", "expected"),
	[(0, False, 1), (None, False, 1), (1, False, 1), (1, True, 2), (4, True, 5), (4, False, 4)],
)
def test_next_version_number(current, published, expected):
	assert next_version_number(current, published) == expected
