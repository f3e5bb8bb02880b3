"""Who may read which knowledge: the one place REST, lists, reports, link search, exports, search,
tickets and the portal ask. The rules are km_crm/access/rules.py (pure); this module feeds them the
user's roles and the settings, and answers Frappe's permission hooks and the search filters.
"""

import frappe

from km_crm import constants as C
from km_crm.access import rules

WRITE_PTYPES = ("write", "create", "delete", "submit", "cancel", "amend", "share", "import")


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


# -- KM Article ------------------------------------------------------------------------------------


def article_query_conditions(user: str | None = None) -> str:
	"""SQL condition for lists, reports, link search and exports of KM Article."""
	r = reader(user)
	if rules.reads_everything(r):
		return ""
	live = (
		f"(`tabKM Article`.`status` in ({_sql_list(C.LIVE_WORKING_COPY_STATUSES)})"
		f" and `tabKM Article`.`audience` in ({_sql_list(rules.audiences(r))}))"
	)
	if r.is_guest:
		return live
	return f"(`tabKM Article`.`article_owner` = {frappe.db.escape(r.user)} or {live})"


def article_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""Deny what the rules deny; None leaves the rest to the role permissions (which only KM roles
	have for writing)."""
	r = reader(user)
	if ptype in WRITE_PTYPES:
		return _candidate_may_write(r, doc)
	if not rules.can_read_article(r, status=doc.status, audience=doc.audience, owner=doc.article_owner):
		return False
	return None


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
	live = (
		"`tabKM Article Version`.`name` in (select `published_version` from `tabKM Article`"
		" where `published_version` is not null)"
		f" and `tabKM Article Version`.`audience` in ({_sql_list(rules.audiences(r))})"
	)
	if r.is_guest:
		return f"({live})"
	own = (
		"`tabKM Article Version`.`article` in (select `name` from `tabKM Article`"
		f" where `article_owner` = {frappe.db.escape(r.user)})"
	)
	return f"({own} or ({live}))"


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


def live_routes(articles: list[str], user: str | None = None) -> dict[str, str]:
	"""{article: desk route} for the articles this user may open: the record when they may read it,
	else its live version; articles they may not open are left out."""
	if not articles:
		return {}
	r = reader(user)
	rows = frappe.get_all(
		"KM Article",
		filters={"name": ("in", list(articles))},
		fields=["name", "status", "audience", "article_owner", "published_version"],
		ignore_permissions=True,
	)
	versions = [row.published_version for row in rows if row.published_version]
	version_audience = dict(
		frappe.get_all(
			"KM Article Version",
			filters={"name": ("in", versions)},
			fields=["name", "audience"],
			as_list=True,
			ignore_permissions=True,
		)
		if versions
		else []
	)
	routes = {}
	for row in rows:
		if rules.can_read_article(r, status=row.status, audience=row.audience, owner=row.article_owner):
			routes[row.name] = f"/app/km-article/{row.name}"
		elif row.published_version and rules.can_read_version(
			r,
			is_live=True,
			audience=version_audience.get(row.published_version),
			article_owner=row.article_owner,
		):
			routes[row.name] = f"/app/km-article-version/{row.published_version}"
	return routes


def contact_audiences(email: str | None, has_customer: bool) -> tuple[str, ...]:
	"""What a ticket's contact may read: their user's audiences when they have a user, else a known
	customer's contact reads Public and Customer articles, anyone else Public ones."""
	user = frappe.db.get_value("User", {"name": email, "enabled": 1}) if email else None
	if user:
		return audiences_for(user)
	return rules.unregistered_contact_audiences(has_customer)


# -- KM Article Link -------------------------------------------------------------------------------


def link_query_conditions(user: str | None = None) -> str:
	"""Ticket links are work records of the desk: knowledge readers and editors see them."""
	r = reader(user)
	if r.is_editor or r.roles & r.reader_roles:
		return ""
	return "1=0"


def link_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	return None if link_query_conditions(user) == "" else False


# -- KM Quality Check ------------------------------------------------------------------------------
QUALITY_REVIEWERS = frozenset({C.ROLE_COACH, C.ROLE_MANAGER, C.ROLE_SYSTEM_MANAGER})


def quality_check_query_conditions(user: str | None = None) -> str:
	"""Coaches and managers see every quality check; a contributor sees the checks of their own work."""
	user = user or frappe.session.user
	if user == C.ADMINISTRATOR or QUALITY_REVIEWERS & set(frappe.get_roles(user)):
		return ""
	return f"`tabKM Quality Check`.`contributor` = {frappe.db.escape(user)}"


def quality_check_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if user == C.ADMINISTRATOR or QUALITY_REVIEWERS & set(frappe.get_roles(user)):
		return None
	return ptype == "read" and doc.contributor == user


def _sql_list(values) -> str:
	return ", ".join(frappe.db.escape(v) for v in values) or "''"
