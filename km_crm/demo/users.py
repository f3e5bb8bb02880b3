"""Demo users: created once with the demo password, their roles added on every run."""

import frappe


def ensure_user(email: str, full_name: str, roles, password: str, website: bool = False):
	if not frappe.db.exists("User", email):
		first, _sp, last = full_name.partition(" ")
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first,
				"last_name": last,
				"send_welcome_email": 0,
				"user_type": "Website User" if website else "System User",
				"new_password": password,
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.flags.ignore_permissions = True
	if roles:
		user.add_roles(*roles)
	return user
