import frappe

from km_crm.integrations import entry_points
from km_crm.setup import install
from km_crm.tests.base import KMTestCase


def _navbar() -> list[tuple[str, str]]:
	return [(r.label, r.url) for r in frappe.get_single("Website Settings").top_bar_items]


def _portal_menu() -> list[tuple[str, str]]:
	settings = frappe.get_single("Portal Settings")
	return [(r.title, r.route) for r in [*settings.menu, *settings.custom_menu]]


def _redirects() -> list[tuple[str, str]]:
	return [(r.source, r.target) for r in frappe.get_single("Website Settings").route_redirects]


class TestEntryPoints(KMTestCase):
	def setUp(self):
		super().setUp()
		entry_points.remove_entry_points()
		settings = frappe.get_single("Website Settings")
		settings.append("top_bar_items", {"label": "Shop", "url": "/shop"})
		settings.append("route_redirects", {"source": "old-page", "target": "/new-page"})
		settings.save(ignore_permissions=True)
		portal = frappe.get_single("Portal Settings")
		portal.append(
			"custom_menu",
			{"title": "Brochures", "route": "/brochures", "enabled": 1, "reference_doctype": "Newsletter"},
		)
		portal.save(ignore_permissions=True)

	def test_installed_once_beside_the_administrators_rows_and_removed_alone(self):
		entry_points.add_entry_points()
		entry_points.add_entry_points()
		self.assertEqual(_navbar().count(("Knowledge Base", "/knowledge")), 1)
		self.assertIn(("Shop", "/shop"), _navbar())
		self.assertEqual(_portal_menu().count(("Knowledge Base", "/knowledge")), 1)
		self.assertIn(("Brochures", "/brochures"), _portal_menu())
		if install.helpdesk_installed():
			self.assertEqual(
				[r for r in _redirects() if r[0].startswith("helpdesk/")],
				list(entry_points.HELPDESK_REDIRECTS),
			)

		# Frappe's own menu sync on migrate keeps the row
		frappe.get_single("Portal Settings").sync_menu()
		self.assertIn(("Knowledge Base", "/knowledge"), _portal_menu())

		entry_points.remove_entry_points()  # what uninstall does (besides dropping its fields)
		self.assertNotIn("/knowledge", [url for _label, url in _navbar()])
		self.assertIn(("Shop", "/shop"), _navbar())
		self.assertNotIn("/knowledge", [route for _title, route in _portal_menu()])
		self.assertIn(("Brochures", "/brochures"), _portal_menu())
		self.assertEqual(_redirects(), [("old-page", "/new-page")])

	def test_an_administrators_own_link_or_renamed_row_is_kept(self):
		settings = frappe.get_single("Website Settings")
		settings.append("top_bar_items", {"label": "Help centre", "url": "/knowledge/"})
		settings.save(ignore_permissions=True)
		entry_points.add_entry_points()
		self.assertEqual(
			[r for r in _navbar() if r[1].startswith("/knowledge")], [("Help centre", "/knowledge/")]
		)

		# the administrator deleted the menu row: a migrate does not bring it back
		portal = frappe.get_single("Portal Settings")
		portal.custom_menu = [r for r in portal.custom_menu if r.route != "/knowledge"]
		portal.save(ignore_permissions=True)
		entry_points.add_helpdesk_redirects()  # what a migrate or Helpdesk's install adds
		self.assertNotIn("/knowledge", [route for _title, route in _portal_menu()])

	def test_a_guest_opening_helpdesks_knowledge_base_lands_on_ours(self):
		if not install.helpdesk_installed():
			self.skipTest("Helpdesk is not installed")
		entry_points.add_entry_points()
		from frappe.website.path_resolver import resolve_redirect

		for path, target in (
			("helpdesk/kb-public", "/knowledge"),
			("helpdesk/kb-public/7", "/knowledge"),
			("helpdesk/kb-public/articles/KB-00012", "/knowledge/KB-00012"),
		):
			frappe.cache.delete_value("website_redirects")
			with self.assertRaises(frappe.Redirect):
				resolve_redirect(path)
			self.assertEqual(frappe.flags.redirect_location, target)
		for path in ("helpdesk/my-tickets", "helpdesk/kb-public/articles/3"):
			frappe.cache.delete_value("website_redirects")
			resolve_redirect(path)  # the rest of Helpdesk, its own articles included, stays Helpdesk's

	def test_helpdesks_app_gets_its_link_script_only_while_the_redirect_is_there(self):
		if not install.helpdesk_installed():
			self.skipTest("Helpdesk is not installed")
		from types import SimpleNamespace

		from werkzeug.wrappers import Response

		from km_crm.integrations.helpdesk import knowledge_link

		def served(path: str) -> str:
			response = Response("<html><body><div id=app></div></body></html>", mimetype="text/html")
			knowledge_link.after_request(response, SimpleNamespace(method="GET", path=path))
			return response.get_data(as_text=True)

		entry_points.add_entry_points()
		frappe.clear_document_cache("Website Settings", "Website Settings")
		self.assertIn(knowledge_link.SCRIPT, served("/helpdesk/my-tickets"))
		self.assertNotIn(knowledge_link.SCRIPT, served("/knowledge"))
		entry_points.remove_helpdesk_redirects()  # the administrator wants Helpdesk's own back
		frappe.clear_document_cache("Website Settings", "Website Settings")
		self.assertNotIn(knowledge_link.SCRIPT, served("/helpdesk/my-tickets"))

	def tearDown(self):
		frappe.db.rollback()
		frappe.cache.delete_value("website_redirects")
