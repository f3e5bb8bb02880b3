import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, today

from km_crm.experts import expertise


class KMExpertProfile(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from km_crm.experts.doctype.km_expert_hidden_skill.km_expert_hidden_skill import KMExpertHiddenSkill
		from km_crm.experts.doctype.km_expert_language.km_expert_language import KMExpertLanguage
		from km_crm.experts.doctype.km_expert_skill.km_expert_skill import KMExpertSkill

		availability: DF.Literal["Available", "Busy", "Away"]
		away_until: DF.Date | None
		capacity: DF.Int
		declared_skills: DF.Table[KMExpertSkill]
		employee: DF.Link | None
		full_name: DF.Data | None
		hidden_skills: DF.Table[KMExpertHiddenSkill]
		languages: DF.TableMultiSelect[KMExpertLanguage]
		user: DF.Link

	# end: auto-generated types
	def before_insert(self):
		# the person owns their profile: they read and correct it (Desk User, "only if creator")
		self.owner = self.user

	def validate(self):
		if cint(self.capacity) < 0:
			frappe.throw(_("Capacity cannot be negative: enter 0 for no limit."))
		if self.availability != expertise.AWAY:
			self.away_until = None
		elif self.away_until and getdate(self.away_until) < getdate(today()):
			frappe.throw(_("Away Until {0} is in the past.").format(frappe.format(self.away_until, "Date")))
		if not self.employee and frappe.db.exists("DocType", "Employee"):
			self.employee = frappe.db.get_value("Employee", {"user_id": self.user, "status": "Active"})
		seen = set()
		for row in self.declared_skills:
			if (row.skill_type, row.skill) in seen:
				frappe.throw(_("{0} {1} is declared twice.").format(_(row.skill_type), row.skill))
			seen.add((row.skill_type, row.skill))

	def on_update(self):
		from km_crm.experts import evidence

		evidence.clear()
