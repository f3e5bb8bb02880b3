"""Search results now show an article's title as the author typed it; titles typed with "<" were
indexed as markup (the text inside the tags lost). Index those articles again."""

import frappe

from km_crm.search import indexer


def execute():
	version = frappe.qb.DocType("KM Article Version")
	typed = frappe.qb.from_(version).select(version.article).where(version.title.like("%<%")).distinct().run()
	live = indexer.live_article_names()
	for name in {row[0] for row in typed} & set(live):
		try:
			indexer.index_article(name)
		except Exception:  # the engine may be away during an upgrade: the nightly reconcile repairs it
			frappe.log_error(title=f"km_crm: could not index {name} again")
