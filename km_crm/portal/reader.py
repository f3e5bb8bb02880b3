"""What the knowledge portal (/knowledge) shows a visitor: live articles of the audiences they may read
(km_crm.permissions decides), read from each article's live, frozen version."""

import json

import frappe
from frappe import _

from km_crm import constants as C
from km_crm.knowledge.article_shape import SECTIONS
from km_crm.knowledge.doctype.km_category.km_category import ROOT_CATEGORY
from km_crm.permissions import readers, rules

# the KCS sections in the order a reader follows them
READING_ORDER = ("issue", "environment", "cause", "resolution")


def _live_rows(user: str, filters: dict | None = None, limit: int | None = None, order_by: str | None = None):
	"""Live articles this visitor may read, with their live version's title, audience and language."""
	article = frappe.qb.DocType("KM Article")
	version = frappe.qb.DocType("KM Article Version")
	query = (
		frappe.qb.from_(article)
		.join(version)
		.on(version.name == article.published_version)
		.select(
			article.name,
			article.category,
			article.reuse_count,
			article.modified,
			version.name.as_("version"),
			version.title,
			version.audience,
			version.language,
		)
		.where(version.audience.isin(readers.audiences_for(user)))
	)
	for field, value in (filters or {}).items():
		query = query.where(article[field] == value)
	if order_by == "popular":
		query = query.orderby(article.reuse_count, order=frappe.qb.desc).orderby(
			article.modified, order=frappe.qb.desc
		)
	else:
		query = query.orderby(version.title)
	if limit:
		query = query.limit(limit)
	return query.run(as_dict=True)


def popular(user: str, limit: int = 8) -> list[dict]:
	return _live_rows(user, limit=limit, order_by="popular")


def categories(user: str) -> list[dict]:
	"""Categories holding articles this visitor may read, with how many."""
	counts: dict[str, int] = {}
	for row in _live_rows(user):
		if row.category:
			counts[row.category] = counts.get(row.category, 0) + 1
	return [{"name": name, "count": n} for name, n in sorted(counts.items()) if name != ROOT_CATEGORY]


def in_category(category: str, user: str) -> list[dict]:
	if not frappe.db.exists("KM Category", category):
		raise frappe.DoesNotExistError(_("Category {0} was not found.").format(category))
	return _live_rows(user, filters={"category": category})


def article(name: str, user: str) -> dict:
	"""The live version of an article for this visitor; raises when they may not read it, and says
	nothing about an article they may not see (not its title, not whether it exists)."""
	row = frappe.db.get_value(
		"KM Article",
		name,
		["name", "published_version", "article_owner", "category", "translation_of"],
		as_dict=True,
	)
	audience = (
		row
		and row.published_version
		and frappe.db.get_value("KM Article Version", row.published_version, "audience")
	)
	if not audience or not rules.can_read_version(
		readers.reader(user), is_live=True, audience=audience, article_owner=None
	):
		raise frappe.PermissionError(_("You are not permitted to read this article."))
	version = frappe.get_doc("KM Article Version", row.published_version)
	snapshot = json.loads(version.snapshot or "{}")
	labels = dict(SECTIONS)
	sections = [
		{"key": key, "label": _(labels.get(key, key)), "html": snapshot.get(key) or ""}
		for key in READING_ORDER
		if (snapshot.get(key) or "").strip()
	]
	return {
		"name": row.name,
		"version": version.version,
		"title": version.title,
		"summary": snapshot.get("summary") or "",
		"language": version.language,
		"audience": version.audience,
		"category": row.category if row.category != ROOT_CATEGORY else None,
		"published_on": version.published_on,
		"sections": sections,
		"translations": translations(row, user),
	}


def translations(row, user: str) -> list[dict]:
	"""The article's translations this visitor may read (either side of `translation_of`)."""
	names = set(frappe.get_all("KM Article", filters={"translation_of": row.name}, pluck="name"))
	if row.translation_of:
		names.add(row.translation_of)
	readable = {r.name: r for r in _live_rows(user) if r.name in names}
	return [{"name": r.name, "title": r.title, "language": r.language} for r in readable.values()]


def public_articles() -> list[dict]:
	"""Live Public articles (for the sitemap)."""
	return _live_rows(C.GUEST)
