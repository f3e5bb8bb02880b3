"""The CRM side of experts: who in the company knows an organisation, and the knowledge for it
(the panel on Customer, Lead, Opportunity and Contact forms).

Only someone who may read the record asks; the evidence shown is what they may open."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from km_crm.permissions import readers
from km_crm.relationships import customer_knowledge, organisations, relationships

MAX_PEOPLE = 5
MAX_ARTICLES = 5


def _organisation(doctype: str, name: str) -> organisations.Organisation:
	readers.require_desk_user()
	if doctype not in organisations.ORGANISATION_DOCTYPES or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("{0} is not a customer record km_crm knows.").format(doctype), frappe.ValidationError)
	if not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} does not exist.").format(_(doctype), name), frappe.DoesNotExistError)
	if not frappe.has_permission(doctype, "read", doc=name):
		frappe.throw(_("You may not read {0} {1}.").format(_(doctype), name), frappe.PermissionError)
	return organisations.resolve(doctype, name)


@frappe.whitelist()
def who_knows(doctype: str, name: str, limit: int = MAX_PEOPLE) -> list[dict]:
	"""The company's people who know this organisation best, with whom they know and why."""
	org = _organisation(doctype, name)
	limit = max(1, min(int(limit or MAX_PEOPLE), MAX_PEOPLE))
	# only what the caller may open counts: no tally of emails or meetings they could not read
	touches = organisations.touches(org)
	visible = readers.readable_refs({t.ref for t in touches})
	found = relationships.strength([t for t in touches if t.ref in visible], getdate(today()), limit=limit)
	contact_names = _contact_names({c for r in found for c in r.contacts})
	return [_person(r, contact_names) for r in found]


def _person(r: relationships.Relationship, contact_names: dict[str, str]) -> dict:
	reasons = []
	if r.kinds.get(relationships.ACCOUNT_MANAGER):
		reasons.append(_("account manager"))
	if r.kinds.get(relationships.SALES_TEAM):
		reasons.append(_("in the Sales Team"))
	labels = {  # how a kind of touch reads in the reason line: (one, more than one)
		relationships.EMAIL_SENT: (_("{0} email sent"), _("{0} emails sent")),
		relationships.EMAIL_RECEIVED: (_("{0} email received"), _("{0} emails received")),
		relationships.MEETING: (_("{0} meeting"), _("{0} meetings")),
		relationships.TODO: (_("{0} task"), _("{0} tasks")),
		relationships.OPPORTUNITY: (_("owns {0} opportunity"), _("owns {0} opportunities")),
		relationships.QUOTATION: (_("{0} quotation"), _("{0} quotations")),
	}
	reasons += [
		(one if r.kinds[kind] == 1 else more).format(r.kinds[kind])
		for kind, (one, more) in labels.items()
		if r.kinds.get(kind)
	]
	evidence = []
	for ref in r.evidence:
		doctype, _sep, docname = ref.partition("/")
		if doctype != "Customer":
			evidence.append(
				{
					"doctype": doctype,
					"name": docname,
					"label": _label(doctype, docname),
					"route": f"/app/{frappe.scrub(doctype).replace('_', '-')}/{docname}",
				}
			)
	return {
		"user": r.user,
		"full_name": frappe.utils.get_fullname(r.user),
		"knows": [contact_names.get(c, c) for c in r.contacts[:3]],
		"last": str(r.last) if r.last else None,
		"reason": ", ".join(reasons),
		"conversation": r.reciprocal,
		"evidence": evidence,
		"score": r.score,
	}


def _label(doctype: str, name: str) -> str:
	"""What a person recognises a record by: an email's subject, a meeting's, an opportunity's title."""
	title_field = frappe.get_meta(doctype).get_title_field()
	title = frappe.db.get_value(doctype, name, title_field) if title_field != "name" else None
	return frappe.utils.strip_html(str(title or name))[:80]


def _contact_names(contacts: set[str]) -> dict[str, str]:
	if not contacts:
		return {}
	return {
		c.name: c.full_name or c.name
		for c in frappe.get_all(
			"Contact", filters={"name": ("in", sorted(contacts))}, fields=["name", "full_name"]
		)
	}


@frappe.whitelist()
def knowledge(doctype: str, name: str, limit: int = MAX_ARTICLES) -> list[dict]:
	"""Articles for this organisation: those that solved its tickets, those about what it bought;
	only those the caller may open."""
	org = _organisation(doctype, name)
	limit = max(1, min(int(limit or MAX_ARTICLES), MAX_ARTICLES))
	found = customer_knowledge.articles_for(org)
	views = readers.article_views([f.article for f in found])
	found = [f for f in found if f.article in views][:limit]
	out = []
	for f in found:
		reasons = []
		if f.solved:
			reasons.append(_("solved {0} of their tickets").format(f.solved))
		elif f.tickets:
			reasons.append(_("linked on {0} of their tickets").format(f.tickets))
		if f.items:
			reasons.append(_("about {0}, which they bought").format(", ".join(sorted(f.items)[:3])))
		out.append(
			{
				"name": f.article,
				"title": views[f.article].title,
				"route": views[f.article].route,
				"reason": "; ".join(reasons),
			}
		)
	return out
