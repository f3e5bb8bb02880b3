"""Turn a solved ticket into a draft knowledge article in the KCS shape, with personal data removed.

Issue: the ticket's subject and description. Environment: the product or item it concerns and the
ticket type. Resolution: the agent's text that solved it. Greetings, sign-offs, the writer's
introduction and call-backs are dropped (ticket_text.article_text), then every piece goes through
redact.py; what was removed is listed on the new article. Language detected from the text.
"""

import html

import frappe
from frappe import _

from km_crm import constants as C
from km_crm.exceptions import KMError
from km_crm.knowledge import article_links, redact
from km_crm.search.analysis import detect_language
from km_crm.tickets import ticket_types
from km_crm.tickets.ticket_text import article_text


class LooksLikeLiveArticle(KMError):
	"""A live article looks like the ticket and the agent has not said the ticket is new."""


def require_capturable(doc) -> None:
	"""The ticket is solved and the session user may write articles."""
	if not ticket_types.is_resolved(doc):
		frappe.throw(_("Create an article from a ticket once it is resolved or closed."), KMError)
	if not C.SUBMIT_ROLES & set(frappe.get_roles()):
		frappe.throw(
			_("You need a knowledge role (KM Candidate or higher) to write articles."), frappe.PermissionError
		)


def created_from(ticket_doctype: str, ticket: str) -> str | None:
	"""The article already created from this ticket, if any."""
	return frappe.db.get_value(
		"KM Article Link",
		{"ticket_doctype": ticket_doctype, "ticket": ticket, "link_type": C.LINK_CREATED_FROM},
		"article",
	)


def create_article(ticket_doctype: str, ticket: str) -> dict:
	doc = ticket_types.get_ticket(ticket_doctype, ticket, "read")
	require_capturable(doc)
	existing = created_from(ticket_doctype, ticket)
	if existing:
		return {"article": existing, "existing": True, "removed": []}

	personal = ticket_types.personal_data(doc)
	scrub = scrubber(personal)
	title, removed = scrub(doc.subject or "")
	# the customer's problem and the fix, without greetings, sign-offs and call-backs, then redacted
	issue, more = scrub(article_text(doc.get("description"), personal["names"]))
	removed += more
	resolution, more = scrub(article_text(ticket_types.solving_reply(doc), personal["names"]))
	removed += more
	environment, more = scrub(_environment(doc))
	removed += more

	article = frappe.get_doc(
		{
			"doctype": "KM Article",
			"title": (title or _("Article from ticket {0}").format(ticket))[:140],
			"language": detect_language(f"{title} {issue}"),
			"audience": C.INTERNAL,
			"issue": _paragraphs(issue or title),
			"environment": _paragraphs(environment),
			"resolution": _paragraphs(resolution),
			"article_owner": frappe.session.user,
		}
	).insert()
	article_links.add_link(article.name, ticket_doctype, ticket, C.LINK_CREATED_FROM)
	if removed:
		article.add_comment("Comment", _removed_note(removed))
	return {"article": article.name, "existing": False, "removed": removed}


def scrubber(personal: dict):
	"""scrub(text) -> (text with personal data and the site's patterns replaced, what was removed)."""
	patterns = [
		(row.label, row.pattern)
		for row in frappe.get_cached_doc("KM Settings").redaction_patterns
		if row.enabled and row.pattern
	]
	placeholders = {kind: _(text) for kind, text in redact.PLACEHOLDERS.items()}

	def scrub(text: str) -> tuple[str, list[dict]]:
		result = redact.redact(
			text,
			names=personal["names"],
			addresses=personal["addresses"],
			patterns=patterns,
			placeholders=placeholders,
		)
		return result.text, [
			{"kind": r.kind, "label": _kind_label(r.kind), "original": r.original}
			for r in result.replacements
		]

	return scrub


def _kind_label(kind: str) -> str:
	labels = {
		"email": _("Email address"),
		"phone": _("Phone number"),
		"name": _("Name"),
		"address": _("Address"),
		"document_number": _("Order or invoice number"),
		"id_number": _("ID number"),
		"payment_card": _("Card number"),
	}
	return labels.get(kind, kind)


def _environment(doc) -> str:
	parts = []
	if doc.get("km_item"):
		item_name = frappe.db.get_value("Item", doc.km_item, "item_name") or doc.km_item
		parts.append(_("Product: {0}").format(item_name))
	kind = doc.get("issue_type") or doc.get("ticket_type")
	if kind:
		parts.append(_("Ticket type: {0}").format(_(kind)))
	return "\n\n".join(parts)


def _paragraphs(text: str) -> str:
	return "".join(f"<p>{html.escape(p.strip())}</p>" for p in (text or "").split("\n\n") if p.strip())


def _removed_note(removed: list[dict]) -> str:
	counts: dict[str, int] = {}
	for r in removed:
		counts[r["label"]] = counts.get(r["label"], 0) + 1
	listed = ", ".join(f"{label}: {n}" for label, n in counts.items())
	return _("Personal data removed from the ticket's text: {0}").format(html.escape(listed))
