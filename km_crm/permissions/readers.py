"""Who may read which knowledge: the one place REST, lists, reports, link search, exports, search,
tickets and the portal ask. The rules are km_crm/permissions/rules.py (pure); this module feeds them the
user's roles and the settings, and answers Frappe's permission hooks and the search filters.
"""

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.query_builder.terms import NamedParameterWrapper

from km_crm import constants as C
from km_crm.permissions import rules

WRITE_PTYPES = ("write", "create", "delete", "submit", "cancel", "amend", "share", "import")
NOTHING = "1=0"  # the condition no record meets


def _settings():
	return frappe.get_cached_doc("KM Settings")


def reader_roles() -> list[str]:
	return [row.role for row in _settings().reader_roles]


def reader(user: str | None = None) -> rules.Reader:
	user = user or frappe.session.user
	return rules.Reader.of(
		user,
		frappe.get_roles(user),
		reader_roles=reader_roles(),
		partner_role=_settings().partner_role,
	)


def audiences_for(user: str | None = None) -> tuple[str, ...]:
	"""The audiences whose live articles `user` may find and read."""
	return rules.audiences(reader(user))


# -- KM Article: the working copy -------------------------------------------------------------------
# Only editors and the author read the record (no "All" role permission): it may hold the next
# version's draft, its child rows and its tags belong to that draft. Readers read KM Article Version.


def article_query_conditions(user: str | None = None) -> str:
	"""SQL condition for lists, reports, link search and exports of KM Article."""
	r = reader(user)
	if rules.reads_everything(r):
		return ""
	if r.is_guest:
		return NOTHING
	Article = frappe.qb.DocType("KM Article")
	return condition_sql(Article.article_owner == r.user)


def article_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""Deny what the rules deny; None leaves the rest to the role permissions (which only KM roles
	have)."""
	r = reader(user)
	if ptype in WRITE_PTYPES:
		return _candidate_may_write(r, doc)
	if not rules.can_read_article(r, owner=doc.get("article_owner")):
		return False
	return None


def may_read_working_copy(article: str, user: str | None = None) -> bool:
	"""May `user` read the article record: its draft, its earlier versions, its committee history?"""
	owner = frappe.db.get_value("KM Article", article, "article_owner")
	exists = owner is not None or frappe.db.exists("KM Article", article)
	return bool(exists) and rules.can_read_article(reader(user), owner=owner)


def _candidate_may_write(r: rules.Reader, doc) -> bool | None:
	"""A KM Candidate edits only the articles they own."""
	if r.user == C.ADMINISTRATOR or r.roles & (C.SUBMIT_ROLES - {C.ROLE_CANDIDATE}):
		return None
	if (
		C.ROLE_CANDIDATE in r.roles
		and not doc.is_new()
		and doc.get("article_owner") not in (None, "", r.user)
	):
		return False
	return None


# -- KM Article Version ----------------------------------------------------------------------------


def version_query_conditions(user: str | None = None) -> str:
	r = reader(user)
	if rules.reads_everything(r):
		return ""
	Article, Version = frappe.qb.DocType("KM Article"), frappe.qb.DocType("KM Article Version")
	live = Version.name.isin(_live_version_names()) & Version.audience.isin(list(rules.audiences(r)) or [""])
	if r.is_guest:
		return f"({condition_sql(live)})"
	own = Version.article.isin(
		frappe.qb.from_(Article).select(Article.name).where(Article.article_owner == r.user)
	)
	return f"({condition_sql(own | live)})"


def _live_version_names():
	Article = frappe.qb.DocType("KM Article")
	return (
		frappe.qb.from_(Article)
		.select(Article.published_version)
		.where(Article.published_version.isnotnull())
	)


def version_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	r = reader(user)
	if ptype in WRITE_PTYPES:
		return None  # versions are written by the publishing service only (see the controller)
	article = frappe.db.get_value(
		"KM Article", doc.article, ["published_version", "article_owner"], as_dict=True
	)
	allowed = rules.can_read_version(
		r,
		is_live=bool(article and article.published_version == doc.name),
		audience=doc.get("audience"),
		article_owner=article.article_owner if article else None,
	)
	return None if allowed else False


def readable_live_version(article: str, user: str | None = None) -> str | None:
	"""The article's live version when `user` may read it (its files included), else None."""
	row = frappe.db.get_value("KM Article", article, ["published_version", "article_owner"], as_dict=True)
	if not row or not row.published_version:
		return None
	audience = frappe.db.get_value("KM Article Version", row.published_version, "audience")
	allowed = rules.can_read_version(
		reader(user), is_live=True, audience=audience, article_owner=row.article_owner
	)
	return row.published_version if allowed else None


# -- What one user may see of an article ---------------------------------------------------------


@dataclass(frozen=True)
class ArticleView:
	"""What a user may see of an article: the working copy (editors, the author) or its live version.
	Every title, route and audience of an article shown to someone comes from here."""

	article: str
	title: str
	audience: str
	route: str
	version: str | None  # the live version shown; None when the user reads the working copy


def article_views(articles, user: str | None = None) -> dict[str, ArticleView]:
	"""{article: what `user` may see of it}; articles they may see nothing of are left out."""
	articles = [a for a in dict.fromkeys(articles or ()) if a]
	if not articles:
		return {}
	r = reader(user)
	rows = frappe.get_all(
		"KM Article",
		filters={"name": ("in", articles)},
		fields=["name", "title", "audience", "article_owner", "published_version"],
		ignore_permissions=True,
	)
	live = _live_versions([row.published_version for row in rows if row.published_version])
	views = {}
	for row in rows:
		if rules.can_read_article(r, owner=row.article_owner):
			views[row.name] = ArticleView(
				row.name, row.title, row.audience, f"/app/km-article/{row.name}", None
			)
			continue
		version = live.get(row.published_version)
		if version and rules.can_read_version(
			r, is_live=True, audience=version.audience, article_owner=row.article_owner
		):
			views[row.name] = ArticleView(
				row.name,
				version.title,
				version.audience,
				f"/app/km-article-version/{version.name}",
				version.name,
			)
	return views


def live_routes(articles: list[str], user: str | None = None) -> dict[str, str]:
	"""{article: desk route} for the articles this user may open (see article_views)."""
	return {name: view.route for name, view in article_views(articles, user).items()}


def live_titles(articles: list[str]) -> dict[str, str]:
	"""{article: its live version's title}: the only title stored beside other records (ticket
	links), since anyone who may read such a record may read the live article."""
	rows = frappe.get_all(
		"KM Article",
		filters={"name": ("in", list(articles) or [""]), "published_version": ("is", "set")},
		fields=["name", "published_version"],
		ignore_permissions=True,
	)
	live = _live_versions([row.published_version for row in rows])
	return {row.name: live[row.published_version].title for row in rows if row.published_version in live}


def _live_versions(names: list[str]) -> dict:
	if not names:
		return {}
	return {
		v.name: v
		for v in frappe.get_all(
			"KM Article Version",
			filters={"name": ("in", names)},
			fields=["name", "title", "audience"],
			ignore_permissions=True,
		)
	}


def contact_audiences(email: str | None, has_customer: bool) -> tuple[str, ...]:
	"""What a ticket's contact may read: their user's audiences when they have a user, else a known
	customer's contact reads Public and Customer articles, anyone else Public ones."""
	user = frappe.db.get_value("User", {"name": email, "enabled": 1}) if email else None
	if user:
		return audiences_for(user)
	return rules.unregistered_contact_audiences(has_customer)


# -- KM Article Link -------------------------------------------------------------------------------


def link_query_conditions(user: str | None = None) -> str:
	"""Ticket links are work records of the desk: editors see them all, knowledge readers the links
	of live articles (which they may read); nobody else any."""
	r = reader(user)
	if rules.reads_everything(r):
		return ""
	if r.roles & r.reader_roles:
		Article, Link = frappe.qb.DocType("KM Article"), frappe.qb.DocType("KM Article Link")
		live = frappe.qb.from_(Article).select(Article.name).where(Article.published_version.isnotnull())
		return condition_sql(Link.article.isin(live))
	return NOTHING


def link_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	r = reader(user)
	if rules.reads_everything(r):
		return None
	if r.roles & r.reader_roles and frappe.db.get_value("KM Article", doc.article, "published_version"):
		return None
	return False


# -- Records of any doctype ------------------------------------------------------------------------


def readable_refs(refs, user: str | None = None) -> set[str]:
	"""The "Doctype/name" references among `refs` that `user` may read (Frappe's permissions: roles,
	permission conditions, user permissions, shares), one list query per doctype."""
	user = user or frappe.session.user
	if user == C.ADMINISTRATOR:
		return set(refs)  # opens every record (list conditions such as private events aside)
	by_doctype: dict[str, set[str]] = {}
	for ref in refs:
		doctype, _sep, name = ref.partition("/")
		if doctype and name:
			by_doctype.setdefault(doctype, set()).add(name)
	out = set()
	for doctype, names in by_doctype.items():
		try:
			found = frappe.get_list(
				doctype,
				filters={"name": ("in", sorted(names))},
				pluck="name",
				limit_page_length=0,
				user=user,
			)
		except frappe.PermissionError:
			continue
		out.update(f"{doctype}/{name}" for name in found)
	return out


# -- Desk-only endpoints -----------------------------------------------------------------------------


def is_desk_user(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == C.ADMINISTRATOR:
		return True
	return user != C.GUEST and frappe.get_cached_value("User", user, "user_type") == "System User"


def require_desk_user() -> None:
	"""The ticket panel, experts and the CRM panels are for the company's desk users, never for
	portal users (who may read their own tickets) or guests."""
	if not is_desk_user():
		frappe.throw(_("This is available to desk users only."), frappe.PermissionError)


# -- KM Quality Check ------------------------------------------------------------------------------
QUALITY_REVIEWERS = frozenset({C.ROLE_COACH, C.ROLE_MANAGER, C.ROLE_SYSTEM_MANAGER})


def quality_check_query_conditions(user: str | None = None) -> str:
	"""Coaches and managers see every quality check; a contributor sees the checks of their own work."""
	user = user or frappe.session.user
	if user == C.ADMINISTRATOR or QUALITY_REVIEWERS & set(frappe.get_roles(user)):
		return ""
	QualityCheck = frappe.qb.DocType("KM Quality Check")
	return condition_sql(QualityCheck.contributor == user)


def quality_check_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if user == C.ADMINISTRATOR or QUALITY_REVIEWERS & set(frappe.get_roles(user)):
		return None
	return ptype == "read" and doc.contributor == user


def link_check_query_conditions(user: str | None = None) -> str:
	"""Link checks (a coach's verdict on an agent's ticket link) are for coaches and managers only."""
	user = user or frappe.session.user
	if user == C.ADMINISTRATOR or QUALITY_REVIEWERS & set(frappe.get_roles(user)):
		return ""
	return NOTHING


def link_check_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if user == C.ADMINISTRATOR or QUALITY_REVIEWERS & set(frappe.get_roles(user)):
		return None
	return False


def condition_sql(condition) -> str:
	"""A frappe.qb condition as the SQL a permission_query_conditions hook returns. Its values are
	escaped by frappe.db.escape, as Frappe's own conditions are (pypika's rendering leaves
	backslashes as they are)."""
	params = NamedParameterWrapper()
	sql = condition.get_sql(with_namespace=True, quote_char="`", param_wrapper=params)
	return sql % {key: frappe.db.escape(value) for key, value in params.get_parameters().items()}
