from frappe.tests.utils import FrappeTestCase

from km_crm.tests import permission_probe

test_ignore = ["Item"]


class TestPermissionProbe(FrappeTestCase):
	def test_no_door_leaks_knowledge_or_tickets_to_any_role(self):
		# a few hundred randomized probes here; the script runs 10,000 (see permission_probe.py)
		result = permission_probe.run(probes=400, seed=11)
		self.assertEqual(result["probes"], 400)
		self.assertEqual(result["leaks"], 0)
