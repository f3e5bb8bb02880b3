"""Search results in the reader's language: search by meaning crosses languages, so a Chinese question
may find the English article. When that article has a live translation in the question's language
that the reader may read, the translation is shown in its place; otherwise the article stays, with
its language named, so the reader knows before opening it."""

import json

import frappe
from frappe import _

from km_crm.knowledge import lifecycle
from km_crm.knowledge.sanitize import html_to_text
from km_crm.permissions import readers
from km_crm.search.analysis import analyze_query, detect_language, highlight_terms
from km_crm.search.highlight import highlight

LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
SNIPPET_SECTIONS = ("summary", "issue", "resolution")


def in_reader_language(rows: list[dict], query: str, user: str) -> list[dict]:
	"""The rows (site_search's), an other-language article swapped for its readable translation in the
	query's language, or labelled (`other_language`, `language_label`). Order kept, no article twice."""
	lang = detect_language(query or "")
	others = [r["article"] for r in rows if r.get("language") and r["language"] != lang]
	if not others:
		return rows
	swaps = _translations(others, lang, readers.audiences_for(user))
	routes = (
		readers.live_routes([t["name"] for t in swaps.values()], user) if readers.is_desk_user(user) else {}
	)
	marks = frozenset(highlight_terms(analyze_query(query)))
	found = {r["article"]: r for r in rows}
	out, seen = [], set()
	for row in rows:
		translation = swaps.get(row["article"])
		if translation and translation["name"] in found:
			row = found[translation["name"]]  # found too: its own row, at the better place
		elif translation:
			row = _translated_row(row, translation, routes.get(translation["name"]), marks)
		elif row.get("language") and row["language"] != lang:
			row["other_language"] = True
			row["language_label"] = _(LANGUAGE_NAMES.get(row["language"], row["language"]))
		if row["article"] not in seen:
			seen.add(row["article"])
			out.append(row)
	return out


def _translations(names: list[str], lang: str, audiences) -> dict[str, dict]:
	"""{article: its live translation in `lang` of an audience the reader may see}: translations go
	either way along `translation_of` (to the original, or to another translation of it)."""
	links = frappe.get_all(
		"KM Article",
		filters={"name": ("in", names)},
		fields=["name", "translation_of"],
		ignore_permissions=True,
	)
	family = {row.name: row.translation_of or row.name for row in links}  # article -> original
	originals = set(family.values())
	members = frappe.get_all(
		"KM Article",
		filters={**lifecycle.live_article_filters(), "translation_of": ("in", list(originals))},
		fields=["name", "translation_of", "published_version"],
		ignore_permissions=True,
	) + frappe.get_all(
		"KM Article",
		filters={**lifecycle.live_article_filters(), "name": ("in", list(originals))},
		fields=["name", "translation_of", "published_version"],
		ignore_permissions=True,
	)
	versions = {
		v.name: v
		for v in frappe.get_all(
			"KM Article Version",
			filters={"name": ("in", [m.published_version for m in members] or [""])},
			fields=["name", "title", "language", "audience", "snapshot"],
			ignore_permissions=True,
		)
	}
	in_lang = {}
	for member in members:
		version = versions.get(member.published_version)
		if version and version.language == lang and version.audience in audiences:
			in_lang[member.translation_of or member.name] = {"name": member.name, "version": version}
	return {name: in_lang[original] for name, original in family.items() if original in in_lang}


def _translated_row(row: dict, translation: dict, route: str | None, marks: frozenset) -> dict:
	version = translation["version"]
	snapshot = json.loads(version.snapshot or "{}")
	text = " ".join(html_to_text(snapshot.get(key) or "") for key in SNIPPET_SECTIONS)
	return {
		**row,
		"article": translation["name"],
		"title": version.title,
		"title_html": highlight(version.title, marks, max_chars=10_000),
		"heading": "",
		"snippet_html": highlight(" ".join(text.split()), marks, max_chars=280),
		"language": version.language,
		"audience": version.audience,
		"route": route,
		"translation_of_found": row["article"],
		"file": None,  # the passage found was in the other article's file; the translation is shown whole
	}
