"""Custom fields km_crm adds to the ticket doctypes. One definition, used by install, migrate and uninstall."""

TICKET_DOCTYPES_OF = {"erpnext": ("Issue",), "helpdesk": ("HD Ticket",)}
#: Fields of earlier releases, removed on migrate (their values were moved) and on uninstall
LEGACY_FIELDS = ("km_article",)
#: The knowledge section goes right after the section that holds this field
ANCHOR_FIELD = "description"
BREAKS = ("Section Break", "Tab Break")


def ticket_fields(insert_after: str) -> list[dict]:
	return [
		{
			"fieldname": "km_knowledge_section",
			"fieldtype": "Section Break",
			"label": "Knowledge",
			"insert_after": insert_after,
		},
		{
			"fieldname": "km_item",
			"fieldtype": "Link",
			"label": "Product / Item",
			"options": "Item",
			"insert_after": "km_knowledge_section",
			"description": "What the ticket is about; suggestions and new articles use it",
		},
		{
			"fieldname": "km_panel",
			"fieldtype": "HTML",
			"label": "Knowledge Panel",
			"insert_after": "km_item",
		},
	]


def field_names() -> list[str]:
	return [f["fieldname"] for f in ticket_fields("")]


def insertion_point(fields: list[tuple[str, str]], anchor: str = ANCHOR_FIELD) -> str:
	"""Where a new section can start without pulling any existing field into it: after the last field
	of the section holding `anchor` (the field just before the next section or tab break).

	`fields`: (fieldname, fieldtype) of the doctype's own fields in form order.
	"""
	names = [name for name, _type in fields]
	start = names.index(anchor) if anchor in names else len(fields) - 1
	for i in range(start + 1, len(fields)):
		if fields[i][1] in BREAKS:
			return fields[i - 1][0]
	return fields[-1][0]
