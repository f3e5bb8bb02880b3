"""The one error type of the pure rule modules (no frappe): a message template, its values and a code.

The template stays untranslated English with named placeholders; `message` is the English text.
Controllers show it with `km_crm.exceptions.throw_rule(error, ...)`, which translates the template
first and fills in the values after, so Frappe finds the translation by its exact template.
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
