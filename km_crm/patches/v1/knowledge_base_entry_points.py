"""Sites installed before the knowledge base had its entry points get them once: the website's
navbar, the portal menu and Helpdesk's customer knowledge base lead to /knowledge."""

from km_crm.integrations import entry_points


def execute():
	entry_points.add_entry_points()
