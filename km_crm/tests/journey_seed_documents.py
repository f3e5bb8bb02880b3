"""What the documents browser journey (scripts/journeys/documents.py) needs on the test site: a live
Internal article of the demo's knowledge base with a PDF manual attached whose third page alone holds
the answer, read and indexed at once (the journey runs without a background worker).

	bench --site SITE execute km_crm.tests.journey_seed_documents.seed

The demo must be loaded. Running it again reuses the article. Prints what the journey needs as JSON.
"""

import json

import frappe
from frappe.utils import escape_html
from frappe.utils.pdf import get_pdf

from km_crm.attachments import files
from km_crm.demo.loader import AUTHOR, DEMO_PASSWORD, PUBLISHER
from km_crm.demo.ticket_content import AGENTS
from km_crm.governance import actions
from km_crm.search import indexer, semantic

TITLE = "Cash drawer: setup and care"
FILE_NAME = "Cash-Drawer-Manual.pdf"
PAGES = [
	(
		"Setup",
		"Plug the drawer cable into the receipt printer's DK port; the printer opens it after each sale.",
	),
	("Keys", "The drawer has two keys: locked, and open on sale. Keep the spare key in the safe."),
	(
		"Opening without a sale",
		"When the till is down, open the drawer by hand: reach under the front and pull the small "
		"release lever towards you. Count the float again before closing.",
	),
	("Care", "Empty the coin tray weekly and wipe the rollers with a dry cloth."),
]
QUERY = "release lever under the front"
# a Chinese agent's question, no word in common with the English manual: found by page 3's meaning
ZH_QUERY = "收银机死机时，怎样手动打开钱箱？"


def seed() -> dict:
	article = frappe.db.get_value("KM Article", {"title": TITLE}) or _article()
	frappe.set_user("Administrator")
	for row in frappe.get_all(
		"File", filters={"attached_to_doctype": "KM Article", "attached_to_name": article}, pluck="name"
	):
		files.read_file(row)  # read now, and its live article indexed (no worker in a check run)
	indexer.index_article(article)
	if semantic.enabled():
		semantic.embed_articles()  # the article's and its pages' vectors (what the worker's job does)
	frappe.db.commit()
	answer = {
		"agent": {"user": AGENTS[0][0], "password": DEMO_PASSWORD},
		"article": article,
		"file_name": FILE_NAME,
		"query": QUERY,
		"zh_query": ZH_QUERY,
		"semantic": semantic.enabled(),
		"page": 3,
	}
	print(json.dumps(answer))
	return answer


def _article() -> str:
	frappe.set_user(AUTHOR)
	doc = frappe.get_doc(
		{
			"doctype": "KM Article",
			"title": TITLE,
			"language": "en",
			"audience": "Internal",
			"category": "Selling and POS",
			"article_owner": AUTHOR,
			"issue": "<p>Setting up the POS cash drawer, and opening it when the till is down.</p>",
			"environment": "<p>ERPNext POS with a cash drawer on the receipt printer.</p>",
			"resolution": "<p>The manual attached covers setup, keys, opening without a sale and care.</p>",
		}
	).insert()
	html = "".join(
		f'<div style="page-break-after: always"><h1>{escape_html(h)}</h1><p>{escape_html(t)}</p></div>'
		for h, t in PAGES
	)
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": FILE_NAME,
			"content": get_pdf(html),
			"is_private": 1,
			"attached_to_doctype": "KM Article",
			"attached_to_name": doc.name,
		}
	).insert()
	frappe.set_user(PUBLISHER)
	actions.publish_directly(doc.name)
	return doc.name
