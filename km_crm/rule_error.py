"""The one error type of the pure rule modules (no frappe): a message template, its values and a code.

The template stays untranslated English with named placeholders; `message` is the English text.
Controllers show it with `frappe.throw(km_crm.exceptions.translated(error), SomeError)`: the template
is translated first and the values filled in after, so Frappe finds the translation by its exact
template.
"""


class RuleError(ValueError):
	code = "rule_error"

	def __init__(self, template: str, code: str | None = None, **values):
		self.template = template
		self.values = values
		self.message = template.format(**values)
		super().__init__(self.message)
		if code:
			self.code = code
