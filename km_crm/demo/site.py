"""What the demo sets on the site besides its records, as an administrator of a real site would:

- Support Team reads Support Settings: ERPNext's Issue form reads them on every ticket it opens, and
  only System Manager may by default (the agent would see "No permission for Support Settings").
- The demo categories' Chinese names, as Frappe Translation records (Website > Translation): the
  portal shows a category's name in the reader's language."""

import frappe
from frappe.permissions import add_permission

from km_crm.demo.content import CATEGORIES

CATEGORY_NAMES_ZH = {
	"Products": "产品",
	"Accounting": "会计",
	"Stock": "库存",
	"Selling and POS": "销售与 POS",
	"Support Desk": "服务台",
	"Account and Login": "账户与登录",
}


def configure() -> None:
	let_support_read_support_settings()
	translate_categories()


def let_support_read_support_settings() -> None:
	rule = {"parent": "Support Settings", "role": "Support Team", "permlevel": 0, "if_owner": 0}
	if frappe.db.exists("Role", "Support Team") and not frappe.db.exists("Custom DocPerm", rule):
		add_permission("Support Settings", "Support Team", 0, "read")


def translate_categories() -> None:
	for name, _parent in CATEGORIES:
		zh = CATEGORY_NAMES_ZH.get(name)
		if zh and not frappe.db.exists("Translation", {"language": "zh", "source_text": name}):
			frappe.get_doc(
				{"doctype": "Translation", "language": "zh", "source_text": name, "translated_text": zh}
			).insert(ignore_permissions=True)
