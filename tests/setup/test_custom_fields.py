"""Where km_crm's knowledge section goes on a ticket form: no standard field may change section."""

from km_crm.setup.custom_fields import field_names, insertion_point, ticket_fields

ISSUE = [
	("subject_section", "Section Break"),
	("subject", "Data"),
	("status", "Select"),
	("sb_details", "Section Break"),
	("description", "Text Editor"),
	("service_level_section", "Section Break"),
	("response_by", "Datetime"),
	("section_break_19", "Section Break"),
	("resolution_details", "Text Editor"),
	("column_break1", "Column Break"),
	("opening_date", "Date"),
]


def sections_of(fields):
	"""fieldname -> the section break it sits in."""
	section, out = None, {}
	for name, kind in fields:
		if kind in ("Section Break", "Tab Break"):
			section = name
		out[name] = section
	return out


def insert(fields, after, new):
	i = [n for n, _ in fields].index(after) + 1
	return fields[:i] + [(f["fieldname"], f["fieldtype"]) for f in new] + fields[i:]


def test_the_section_goes_after_the_description_section_and_moves_no_field():
	after = insertion_point(ISSUE)
	assert after == "description"
	merged = insert(ISSUE, after, ticket_fields(after))
	before, now = sections_of(ISSUE), sections_of(merged)
	assert {name: now[name] for name in before} == before
	assert {now[name] for name in field_names()} == {"km_knowledge_section"}


def test_fields_between_the_anchor_and_the_next_break_stay_in_their_section():
	hd = [
		("sb_details", "Section Break"),
		("description", "Text Editor"),
		("template", "Link"),
		("sla_tab", "Tab Break"),
	]
	assert insertion_point(hd) == "template"


def test_a_form_without_a_later_break_gets_the_section_at_the_end():
	assert insertion_point([("a", "Data"), ("description", "Text"), ("b", "Data")]) == "b"
	assert insertion_point([("a", "Data"), ("x", "Section Break"), ("b", "Data")]) == "b"
