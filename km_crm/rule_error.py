"""The one error type of the pure rule modules (no frappe): a plain English message and a code.

Controllers turn it into `frappe.throw(_(message), ...)`; tests check the code.
"""


class RuleError(ValueError):
	code = "rule_error"

	def __init__(self, message: str, code: str | None = None):
		super().__init__(message)
		self.message = message
		if code:
			self.code = code
