"""Custom fields km_crm adds to other apps' doctypes. One definition, used by install and uninstall."""

KM_FIELD_PREFIX = "km_"


def ticket_fields(insert_after: str) -> list[dict]:
	return [
		{
			"fieldname": "km_knowledge_section",
			"fieldtype": "Section Break",
			"label": "Knowledge",
			"collapsible": 1,
			"insert_after": insert_after,
		},
		{
			"fieldname": "km_article",
			"fieldtype": "Link",
			"label": "Resolved With Article",
			"options": "KM Article",
			"insert_after": "km_knowledge_section",
			"description": "The knowledge article that solved this ticket",
		},
	]


def erpnext_custom_fields() -> dict[str, list[dict]]:
	return {"Issue": ticket_fields(insert_after="resolution_details")}


def helpdesk_custom_fields() -> dict[str, list[dict]]:
	return {"HD Ticket": ticket_fields(insert_after="resolution_details")}
