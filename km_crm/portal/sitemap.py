"""/sitemap.xml with the knowledge base's live Public articles added to the site's own pages
(a page renderer: Frappe's extension point for serving a path)."""

import html
from urllib.parse import quote

import frappe
from frappe.utils import get_url
from frappe.website.page_renderers.base_renderer import BaseRenderer
from frappe.www import sitemap

from km_crm.portal import reader


class KnowledgeSitemap(BaseRenderer):
	def can_render(self):
		return self.path == "sitemap.xml"

	def render(self):
		links = sitemap.get_context(frappe._dict())["links"]
		links += [
			{"loc": get_url(f"/knowledge/{quote(row.name)}"), "lastmod": f"{row.modified:%Y-%m-%d}"}
			for row in reader.public_articles()
		]
		body = "".join(
			f"<url><loc>{html.escape(link['loc'])}</loc><lastmod>{link['lastmod']}</lastmod></url>"
			for link in links
		)
		xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
		return self.build_response(xml)
