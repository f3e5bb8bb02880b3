import frappe
from frappe.tests.utils import FrappeTestCase

from km_crm.setup import install, uninstall
from km_crm.setup.custom_fields import erpnext_custom_fields, helpdesk_custom_fields


def _our_custom_fields() -> list[str]:
	names = []
	for doctype, fields in {**erpnext_custom_fields(), **helpdesk_custom_fields()}.items():
		names += frappe.get_all(
			"Custom Field",
			filters={"dt": doctype, "fieldname": ("in", [f["fieldname"] for f in fields])},
			pluck="name",
		)
	return names


class TestInstall(FrappeTestCase):
	def test_install_is_idempotent_and_uninstall_leaves_no_custom_fields(self):
		install.after_install()
		install.after_install()
		self.assertTrue(frappe.get_meta("Issue").has_field("km_article"))
		expected = 2 + (2 if install.helpdesk_installed() else 0)
		self.assertEqual(len(_our_custom_fields()), expected)
		for role in install.KM_ROLES:
			self.assertTrue(frappe.db.exists("Role", role))

		uninstall.before_uninstall()
		self.assertEqual(_our_custom_fields(), [])
		self.assertFalse(frappe.get_meta("Issue").has_field("km_article"))

		install.after_migrate()
		self.assertEqual(len(_our_custom_fields()), expected)
