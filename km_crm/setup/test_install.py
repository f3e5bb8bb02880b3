import frappe

from km_crm import constants as C
from km_crm.integrations import entry_points
from km_crm.setup import install, uninstall
from km_crm.setup.custom_fields import field_names
from km_crm.tests.base import KMTestCase


def _our_custom_fields() -> list[str]:
	return frappe.get_all(
		"Custom Field",
		filters={"dt": ("in", C.TICKET_DOCTYPES), "fieldname": ("in", field_names())},
		pluck="name",
	)


def _sections(doctype: str) -> dict[str, str]:
	"""fieldname -> the section it sits in, on the form as Frappe builds it."""
	section, out = None, {}
	for df in frappe.get_meta(doctype).fields:
		if df.fieldtype in ("Section Break", "Tab Break"):
			section = df.fieldname
		out[df.fieldname] = section
	return out


class TestInstall(KMTestCase):
	def test_install_is_idempotent_and_uninstall_leaves_no_custom_fields(self):
		install.after_install()
		install.after_install()
		self.assertTrue(frappe.get_meta("Issue").has_field("km_panel"))
		expected = len(field_names()) * (2 if install.helpdesk_installed() else 1)
		self.assertEqual(len(_our_custom_fields()), expected)
		for role in C.KM_ROLES:
			self.assertTrue(frappe.db.exists("Role", role))

		uninstall.before_uninstall()
		self.assertEqual(_our_custom_fields(), [])
		self.assertFalse(frappe.get_meta("Issue").has_field("km_panel"))
		navbar = [r.url for r in frappe.get_single("Website Settings").top_bar_items]
		self.assertNotIn(entry_points.ROUTE, navbar)  # the links to the knowledge base go too

		install.after_migrate()
		self.assertEqual(len(_our_custom_fields()), expected)
		entry_points.add_entry_points()  # what install adds once (dropping fields committed the removal)

	def test_the_knowledge_section_moves_no_standard_field_to_another_section(self):
		for doctype in [dt for dt in C.TICKET_DOCTYPES if frappe.db.exists("DocType", dt)]:
			uninstall.remove_custom_fields(doctype, field_names())
			before = _sections(doctype)
			install.add_custom_fields()
			after = _sections(doctype)
			self.assertEqual({f: after[f] for f in before}, before, doctype)
			self.assertEqual({after[f] for f in field_names()}, {"km_knowledge_section"}, doctype)
