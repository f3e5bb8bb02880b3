"""Where customers find the knowledge base (/knowledge): the website's navbar, the portal's menu and,
when Helpdesk is installed, Helpdesk's own customer knowledge base pages, which send visitors here.

Every place is a row in Frappe's own settings, so an administrator sees, moves, renames or deletes it
like any other. Rows are added once (on install, and by a patch on sites installed before), only
when no row already leads to /knowledge; a later migrate does not bring back a row the
administrator deleted. Uninstall removes the rows that lead to the knowledge base and nothing else.
"""

import frappe

ROUTE = "/knowledge"
LABEL = "Knowledge Base"  # translated where Frappe shows navbar and portal menu labels
#: Helpdesk's customer knowledge base (full page loads and the links of its article search, which
#: open a new tab) -> ours: its home and category pages lead to our home, an article of ours
#: (KB-00001, as Helpdesk's search now finds them) to itself; Helpdesk's own articles stay its own.
#: The patterns never match the same path (Frappe tries redirects in no set order).
HELPDESK_REDIRECTS = (
	("helpdesk/kb-public(/[^/]*)?", ROUTE),
	("helpdesk/kb-public/articles/(KB-[0-9]+)", ROUTE + r"/\1"),
)
REDIRECT_STATUS = "302"  # not permanent: browsers must not remember it once the row is gone


def add_entry_points() -> None:
	add_navbar_item()
	add_portal_menu_item()
	add_helpdesk_redirects()


def remove_entry_points() -> None:
	remove_navbar_item()
	remove_portal_menu_item()
	remove_helpdesk_redirects()


def helpdesk_installed() -> bool:
	return "helpdesk" in frappe.get_installed_apps()


def _leads_here(url: str | None) -> bool:
	return (url or "").strip().rstrip("/") == ROUTE


# Website Settings > Top Bar Items


def add_navbar_item() -> None:
	settings = frappe.get_single("Website Settings")
	if any(_leads_here(row.url) for row in settings.top_bar_items):
		return
	settings.append("top_bar_items", {"label": LABEL, "url": ROUTE})
	settings.save(ignore_permissions=True)


def remove_navbar_item() -> None:
	settings = frappe.get_single("Website Settings")
	ours = [row for row in settings.top_bar_items if _leads_here(row.url)]
	if ours:
		for row in ours:
			settings.remove(row)
		settings.save(ignore_permissions=True)


# Portal Settings > Custom Sidebar Menu


def add_portal_menu_item() -> None:
	settings = frappe.get_single("Portal Settings")
	if any(_leads_here(row.route) for row in [*settings.menu, *settings.custom_menu]):
		return
	# Frappe's menu sync drops custom rows whose reference doctype does not exist, rows without one
	# included: the knowledge base's own doctype keeps the row, as long as km_crm is installed
	settings.append(
		"custom_menu", {"title": LABEL, "route": ROUTE, "enabled": 1, "reference_doctype": "KM Article"}
	)
	settings.save(ignore_permissions=True)


def remove_portal_menu_item() -> None:
	settings = frappe.get_single("Portal Settings")
	ours = [row for row in [*settings.menu, *settings.custom_menu] if _leads_here(row.route)]
	if ours:
		for row in ours:
			settings.remove(row)
		settings.save(ignore_permissions=True)


# Website Settings > Route Redirects (Helpdesk's customer knowledge base)


def add_helpdesk_redirects() -> None:
	if not helpdesk_installed():
		return
	settings = frappe.get_single("Website Settings")
	have = {(row.source or "").strip("/ ") for row in settings.route_redirects}
	missing = [(source, target) for source, target in HELPDESK_REDIRECTS if source not in have]
	if not missing or len(missing) < len(HELPDESK_REDIRECTS):
		return  # there, or changed by the administrator: theirs now
	for source, target in missing:
		settings.append(
			"route_redirects", {"source": source, "target": target, "redirect_http_status": REDIRECT_STATUS}
		)
	settings.save(ignore_permissions=True)


def remove_helpdesk_redirects() -> None:
	settings = frappe.get_single("Website Settings")
	sources = {source for source, _target in HELPDESK_REDIRECTS}
	ours = [row for row in settings.route_redirects if (row.source or "").strip("/ ") in sources]
	if ours:
		for row in ours:
			settings.remove(row)
		settings.save(ignore_permissions=True)
