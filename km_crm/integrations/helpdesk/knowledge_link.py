"""Helpdesk's "Knowledge Base" link, for customers, opens the knowledge base (/knowledge).

Opened as a page (a bookmark, a link in an e-mail, a new tab), Helpdesk's customer knowledge base is
redirected by the site's Route Redirects (km_crm.integrations.entry_points). Helpdesk's app, though, moves
between its own pages without asking the server, so its sidebar link would skip them: its pages get
a small script (km_helpdesk_kb.js) that turns such a move into a page load, which the redirect then
answers. Only while the redirect is there: an administrator who deletes it gets Helpdesk's own
knowledge base back, with no script."""

import frappe

from km_crm.integrations.entry_points import HELPDESK_REDIRECTS

SCRIPT = "/assets/km_crm/js/km_helpdesk_kb.js"


def after_request(response, request) -> None:
	if (
		request.method != "GET"
		or not (request.path == "/helpdesk" or request.path.startswith("/helpdesk/"))
		or response.status_code != 200
		or response.mimetype != "text/html"
		or response.direct_passthrough
		or not _redirected()
	):
		return
	html = response.get_data(as_text=True)
	if "</body>" not in html or SCRIPT in html:
		return
	tag = f'<script src="{SCRIPT}?v={frappe.utils.get_build_version()}" defer></script>'
	response.set_data(html.replace("</body>", tag + "</body>", 1))


def _redirected() -> bool:
	home = HELPDESK_REDIRECTS[0][0]
	rows = frappe.get_cached_doc("Website Settings").route_redirects
	return any((row.source or "").strip("/ ") == home for row in rows)
