"""Demo relationships, loaded by `km_crm.demo.tickets`: who in the company knows the demo
customers (emails both ways, a meeting, an opportunity, an account manager, a second contact) and
what Globex bought (a POS terminal, on a submitted Sales Order; the POS article is about it), so the
Customer form shows who knows them and the knowledge for them. Running it again adds nothing twice."""

import frappe
from frappe.utils import add_days, now_datetime, today

SALES = "km.sales@example.com"
BILLING = "km.billing@example.com"
ACCESS = "km.access@example.com"
LI_WEI = "km.reviewer2@example.com"
GLOBEX = "Globex Trading"
HUADONG = "华东贸易有限公司"
MARIA = "maria.lopez@globex.example.com"
TOM = ("Tom", "Becker", "tom.becker@globex.example.com")
WANG = "wangfang@huadong.example.cn"
POS_ITEM = ("KM-POS-T1", "POS Terminal T1")
POS_ARTICLE = "POS closing entry fails with a payment mismatch"

#: (internal user, the contact's email, sent by the user?, days ago, subject)
EMAILS = [
	(SALES, MARIA, True, 150, "POS rollout: first thoughts"),
	(SALES, MARIA, False, 148, "Re: POS rollout: first thoughts"),
	(SALES, MARIA, True, 90, "Pricing for twelve stores"),
	(SALES, MARIA, False, 88, "Re: Pricing for twelve stores"),
	(SALES, MARIA, True, 30, "Agenda for our meeting"),
	(SALES, MARIA, False, 12, "Thanks for the visit"),
	(BILLING, TOM[2], True, 60, "Your invoice for the POS terminals"),
	(BILLING, TOM[2], False, 58, "Re: Your invoice for the POS terminals"),
	(BILLING, TOM[2], True, 20, "Payment received, thank you"),
	(ACCESS, MARIA, True, 420, "Your new portal accounts"),
	(LI_WEI, WANG, True, 45, "关于税务模板的问题"),
	(LI_WEI, WANG, False, 44, "回复：关于税务模板的问题"),
	(LI_WEI, WANG, True, 10, "下个月的培训安排"),
]


def load(company: str | None) -> None:
	staff = set(
		frappe.get_all("User", filters={"name": ("in", [SALES, BILLING, ACCESS, LI_WEI])}, pluck="name")
	)
	customers = set(frappe.get_all("Customer", filters={"name": ("in", [GLOBEX, HUADONG])}, pluck="name"))
	if GLOBEX not in customers:
		return
	_contact(*TOM, GLOBEX)
	if SALES in staff:
		if not frappe.db.get_value("Customer", GLOBEX, "account_manager"):
			frappe.db.set_value("Customer", GLOBEX, "account_manager", SALES, update_modified=False)
		_opportunity(company)
		_meeting(SALES, MARIA, "Visit at Globex: POS rollout", 14)
	for user, email, sent, days, subject in EMAILS:
		if user in staff:
			_email(user, email, sent, days, subject)
	if LI_WEI in staff and HUADONG in customers:
		_meeting(LI_WEI, WANG, "与华东贸易的季度会议", 40)
	_bought(company)


def _contact(first: str, last: str, email: str, customer: str) -> None:
	if not frappe.db.exists("Contact Email", {"email_id": email}):
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": first,
				"last_name": last,
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert(ignore_permissions=True)


def _email(user: str, email: str, sent: bool, days: int, subject: str) -> None:
	sender, recipient = (user, email) if sent else (email, user)
	if frappe.db.exists("Communication", {"subject": subject, "sender": sender}):
		return
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent" if sent else "Received",
			"sender": sender,
			"recipients": recipient,
			"subject": subject,
			"content": f"<p>{subject}</p>",
			"communication_date": add_days(now_datetime(), -days),
			"reference_doctype": "Customer",
			"reference_name": GLOBEX if email != WANG else HUADONG,
		}
	).insert(ignore_permissions=True)


def _meeting(user: str, email: str, subject: str, days: int) -> None:
	if frappe.db.exists("Event", {"subject": subject}):
		return
	contact = frappe.db.get_value("Contact Email", {"email_id": email}, "parent")
	event = frappe.get_doc(
		{
			"doctype": "Event",
			"subject": subject,
			"event_type": "Private",
			"event_category": "Meeting",
			"starts_on": add_days(now_datetime(), -days),
			"event_participants": [
				{"reference_doctype": "Contact", "reference_docname": contact, "email": email}
			]
			if contact
			else [],
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Event", event.name, "owner", user, update_modified=False)


def _opportunity(company: str | None) -> None:
	if frappe.db.exists("Opportunity", {"party_name": GLOBEX, "title": "POS rollout to twelve stores"}):
		return
	opp = frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": GLOBEX,
			"title": "POS rollout to twelve stores",
			"opportunity_owner": SALES,
			"contact_email": MARIA,
			"company": company,
			"transaction_date": add_days(today(), -150),
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Opportunity", opp.name, "owner", SALES, update_modified=False)


def _bought(company: str | None) -> None:
	"""Globex bought POS terminals (a submitted Sales Order); the POS article is about them."""
	code, name = POS_ITEM
	if not frappe.db.exists("Item", code):
		group = frappe.db.get_value("Item Group", {"is_group": 0}, "name") or "All Item Groups"
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": name,
				"item_group": group,
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"is_sales_item": 1,
			}
		).insert(ignore_permissions=True)
	article = frappe.db.get_value("KM Article", {"title": POS_ARTICLE})
	if article and not frappe.db.exists("KM Article Item", {"parent": article, "item": code}):
		doc = frappe.get_doc("KM Article", article)
		frappe.get_doc(
			{
				"doctype": "KM Article Item",
				"parent": article,
				"parenttype": "KM Article",
				"parentfield": "items",
				"idx": len(doc.items) + 1,
				"item": code,
			}
		).db_insert()
	has_order = frappe.db.sql(
		"""select 1 from `tabSales Order Item` i join `tabSales Order` o on o.name = i.parent
		where o.customer = %s and o.docstatus = 1 and i.item_code = %s limit 1""",
		(GLOBEX, code),
	)
	if company and not has_order:
		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": GLOBEX,
				"company": company,
				"transaction_date": add_days(today(), -100),
				"delivery_date": add_days(today(), -80),
				"items": [
					{"item_code": code, "qty": 12, "rate": 450, "delivery_date": add_days(today(), -80)}
				],
			}
		)
		order.flags.ignore_permissions = True
		order.insert()
		order.submit()
