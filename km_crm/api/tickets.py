"""Knowledge inside the ticket (ERPNext Issue, Helpdesk HD Ticket): suggestions, links, insert,
capture and similar resolved tickets. Thin endpoints over the services; every call checks the
caller's permission on the ticket and reads knowledge through km_crm.permissions."""

import json

import frappe
from frappe import _

from km_crm import constants as C
from km_crm.knowledge import article_links
from km_crm.knowledge.sanitize import sanitize_html
from km_crm.permissions import readers, rules
from km_crm.rate_limits import check_search_rate
from km_crm.search.site_search import log_search, search_rows
from km_crm.tickets import capture, duplicates, similar, ticket_types
from km_crm.tickets.ticket_text import strip_noise, suggestion_query

REPLY_CHARS = 240  # the end of the agent's reply being typed leads the suggestion query


@frappe.whitelist()
def suggest(
	ticket_doctype: str,
	ticket: str | None = None,
	subject: str | None = None,
	description: str | None = None,
	reply: str | None = None,
	query: str | None = None,
	limit: int = 5,
	with_labels: bool = False,
) -> dict:
	"""Articles for the ticket (or for the agent's own `query`), with what the agent may do with each,
	plus similar resolved tickets. Unsaved form values (subject, description, reply) override the
	stored ones, so suggestions follow what the agent types."""
	readers.require_desk_user()
	check_search_rate()
	limit = max(1, min(int(limit or 5), 20))
	doc = ticket_types.get_ticket(ticket_doctype, ticket) if ticket else None
	asked = bool((query or "").strip())  # the agent's own search shows every match
	typed = ""
	if asked:
		text = query
	else:
		description = description if description is not None else (doc.get("description") if doc else "")
		text = suggestion_query(
			subject if subject is not None else (doc.subject if doc else ""),
			description,
			ticket_types.latest_customer_message(doc) if doc else "",
		)
		# what the agent is writing leads: suggestions follow the end of the reply as it grows
		typed = strip_noise(reply)[-REPLY_CHARS:].strip()
		text = f"{typed} {text}".strip()
	rows = []
	if frappe.get_cached_doc("KM Settings").suggest_in_tickets or asked:
		# suggestions are only good matches (search/confidence.py); those of the reply alone come
		# first, so a sentence the agent types is not outweighed by the rest of the ticket
		rows = search_rows(text, limit=limit, suggestions=not asked)
		if typed:
			led = search_rows(typed, limit=limit, suggestions=True)
			shown = {r["article"] for r in led}
			rows = (led + [r for r in rows if r["article"] not in shown])[:limit]
	search_id = log_search(query, "Ticket", None, rows) if (query or "").strip() else None
	contact = _contact_audiences(doc)
	for row in rows:
		row["insert_refused"] = _insert_refusal(row["audience"], contact)
		row["audience_label"] = _(row["audience"])
	links = _links(doc)
	for row in links:
		row["link_type_label"] = _(row["link_type"])
	return {
		"query": text,
		"results": rows,
		"links": links,
		"similar": similar.similar_tickets(
			text,
			exclude=ticket_types.ticket_ref(ticket_doctype, ticket) if ticket else None,
			suggestions=not asked,
		),
		"search_id": search_id,
		"can_capture": bool(
			doc and ticket_types.is_resolved(doc) and C.SUBMIT_ROLES & set(frappe.get_roles())
		),
		"contact_audiences": list(contact),
		"labels": panel_labels() if frappe.utils.cint(with_labels) else None,
	}


def panel_labels() -> dict[str, str]:
	"""The panel's words in the agent's language (Helpdesk's agent UI has no desk translations)."""
	return {
		"knowledge": _("Knowledge"),
		"close": _("Close"),
		"search": _("Search the knowledge base"),
		"linked": _("Linked articles"),
		"results": _("Search results"),
		"suggested": _("Suggested articles"),
		"no_results": _("No article matches this search."),
		"no_suggestions": _("No article matches this ticket yet."),
		"similar": _("Similar resolved tickets"),
		"resolution": _("Resolution"),
		"solved": _("Solved it"),
		"referenced": _("Referenced", context="Link action"),
		"insert": _("Insert into reply"),
		"create_article": _("Create Article"),
		"linked_done": _("Linked to this ticket."),
		"inserted": _("Inserted into your reply."),
		"copied": _("Copied. Paste it into your reply."),
		"open_reply": _("Open the reply editor first."),
		"created": _("Draft article created."),
		"removed": _("Removed from the text:"),
		"experts": _("Experts"),
		"no_experts": _("No one else has solved a ticket like this yet."),
		"ask": _("Ask to help"),
		"ask_note": _("Note (the ticket is assigned to them as well, with this note)"),
		"ask_send": _("Ask"),
		"asked": _("Assigned. They will see your note."),
		"open_count": _("open"),
		"assigned": _("Assigned"),
	}


@frappe.whitelist(methods=["POST"])
def link(ticket_doctype: str, ticket: str, article: str, link_type: str = C.LINK_SOLVED) -> list[dict]:
	"""This article solved (or was referenced on) the ticket."""
	readers.require_desk_user()
	doc = ticket_types.get_ticket(ticket_doctype, ticket, "write")
	if link_type not in (C.LINK_SOLVED, C.LINK_REFERENCED):
		frappe.throw(_("Unknown link type {0}.").format(link_type), frappe.ValidationError)
	_require_readable(article)
	article_links.add_link(article, ticket_doctype, ticket, link_type)
	return _links(doc)


@frappe.whitelist(methods=["POST"])
def unlink(ticket_doctype: str, ticket: str, link_name: str) -> list[dict]:
	readers.require_desk_user()
	doc = ticket_types.get_ticket(ticket_doctype, ticket, "write")
	row = frappe.db.get_value(
		"KM Article Link", link_name, ["ticket_doctype", "ticket", "link_type"], as_dict=True
	)
	if not row or (row.ticket_doctype, row.ticket) != (ticket_doctype, ticket):
		frappe.throw(_("This link does not belong to ticket {0}.").format(ticket), frappe.ValidationError)
	if row.link_type == C.LINK_CREATED_FROM:
		frappe.throw(_("The article created from this ticket stays linked to it."), frappe.ValidationError)
	article_links.remove_link(link_name)
	return _links(doc)


@frappe.whitelist()
def reply_text(ticket_doctype: str, ticket: str, article: str) -> dict:
	"""The customer-visible text of the article's live version, to insert into the reply; refused with
	the reason when the ticket's contact may not read the article's audience."""
	readers.require_desk_user()
	doc = ticket_types.get_ticket(ticket_doctype, ticket, "write")
	_require_readable(article)
	live = frappe.db.get_value("KM Article", article, ["published_version", "title"], as_dict=True)
	if not live or not live.published_version:
		frappe.throw(
			_("Article {0} has no published version to send.").format(article), frappe.ValidationError
		)
	snapshot = json.loads(
		frappe.db.get_value("KM Article Version", live.published_version, "snapshot") or "{}"
	)
	refusal = _insert_refusal(snapshot.get("audience"), _contact_audiences(doc))
	if refusal:
		frappe.throw(refusal, frappe.PermissionError, title=_("Not for this customer"))
	return {
		"article": article,
		"version": live.published_version,
		"title": snapshot.get("title") or live.title,
		"html": sanitize_html(snapshot.get("resolution") or ""),
	}


@frappe.whitelist()
def capture_check(ticket_doctype: str, ticket: str) -> dict:
	"""Before Create Article (KCS: search before you create): the live articles the agent may read
	that look like this ticket, best first, with why; the article already created from it; the
	panel's words."""
	readers.require_desk_user()
	doc = ticket_types.get_ticket(ticket_doctype, ticket)
	capture.require_capturable(doc)
	existing = capture.created_from(ticket_doctype, ticket)
	return {
		"existing": existing,
		"articles": [] if existing else close_articles(doc),
		"labels": capture_labels(),
	}


@frappe.whitelist(methods=["POST"])
def create_article(ticket_doctype: str, ticket: str, confirm_new: bool = False) -> dict:
	"""A draft article from a resolved ticket, personal data removed; linked as "Created From".
	Refused while a live article looks like the ticket, unless the agent confirms it is new."""
	readers.require_desk_user()
	doc = ticket_types.get_ticket(ticket_doctype, ticket)
	capture.require_capturable(doc)
	if not frappe.utils.cint(confirm_new) and not capture.created_from(ticket_doctype, ticket):
		close = close_articles(doc)
		if close:
			frappe.throw(
				_(
					"This ticket looks like the live article {0} ({1}). Link it as solved, or confirm "
					"that the ticket is new to create a draft."
				).format(close[0]["title"], close[0]["reason"]),
				capture.LooksLikeLiveArticle,
				title=_("Search before you create"),
			)
	return capture.create_article(ticket_doctype, ticket)


def close_articles(doc) -> list[dict]:
	"""Live articles the session user may read that are close to the ticket (duplicates.close_matches
	over the ticket's suggestion query), with the score, why, and how each is linked to it already."""
	text = suggestion_query(doc.subject, doc.get("description"), ticket_types.latest_customer_message(doc))
	rows = {r["article"]: r for r in search_rows(text, limit=duplicates.SEARCHED)} if text.strip() else {}
	close = duplicates.close_matches([(name, r["word_score"], r["semantic"]) for name, r in rows.items()])
	views = readers.article_views([c.article for c in close])
	linked = {row.article: row.link_type for row in article_links.links_of_ticket(doc.doctype, doc.name)}
	out = []
	for c in close:
		if c.article not in views:
			continue
		row = rows[c.article]
		out.append(
			{
				"article": c.article,
				"title": views[c.article].title,
				"route": views[c.article].route,
				"audience": row["audience"],
				"audience_label": _(row["audience"]),
				"snippet_html": row["snippet_html"],
				"score": c.score,
				"reason": _close_reason(c, alone=len(rows) == 1),
				"linked": linked.get(c.article),
				"linked_label": _(linked[c.article]) if c.article in linked else None,
			}
		)
	return out


def _close_reason(c: duplicates.Close, alone: bool) -> str:
	if c.meaning is not None:
		return _("close in meaning ({0})").format(f"{c.meaning:.2f}")
	score = duplicates.number(c.score)
	if alone:
		return _("score {0}, the only match").format(score)
	if c.lead is None:
		return _("score {0}").format(score)
	return _("score {0}, {1}x the next").format(score, duplicates.number(c.lead))


def capture_labels() -> dict[str, str]:
	"""Create Article's words in the agent's language (Helpdesk's agent UI has no desk translations)."""
	return {
		"title": _("Search before you create"),
		"look_like": _("These live articles look like this ticket:"),
		"link_solved": _("Link as solved"),
		"create_new": _("It is new: create the draft"),
		"cancel": _("Cancel"),
		"confirm": _("Create a draft article from this ticket? Personal data is removed from the text."),
		"create": _("Create the draft"),
		"created": _("Draft article created."),
		"existing": _("An article was already created from this ticket"),
		"removed": _("Removed from the text:"),
		"nothing_removed": _("No personal data was found in the ticket's text."),
		"open_article": _("Open Article"),
		"linked_done": _("Linked to this ticket."),
	}


def _links(doc) -> list[dict]:
	if not doc:
		return []
	links = article_links.links_of_ticket(doc.doctype, doc.name)
	views = readers.article_views([row.article for row in links])
	return [
		{**row, "article_title": views[row.article].title, "route": views[row.article].route}
		for row in links
		if row.article in views
	]


def _contact_audiences(doc) -> tuple[str, ...]:
	if not doc:
		return ()
	return readers.contact_audiences(ticket_types.contact_email(doc), bool(doc.get("customer")))


def _insert_refusal(audience: str | None, contact_audiences) -> str | None:
	if rules.may_receive(audience, contact_audiences):
		return None
	if not contact_audiences:
		return _("Save the ticket with its contact first.")
	return _("This article is for {0} readers; the ticket's contact may read only {1} articles.").format(
		_(audience or ""), ", ".join(_(a) for a in contact_audiences)
	)


def _require_readable(article: str) -> None:
	if not readers.article_views([article]):
		frappe.throw(_("Article {0} was not found.").format(article), frappe.DoesNotExistError)
