from km_crm.tests import permission_probe
from km_crm.tests.base import KMTestCase


class TestPermissionProbe(KMTestCase):
	def test_no_door_leaks_knowledge_or_tickets_to_any_user(self):
		# a sample here (every door asked by every user at least once); the script runs 10,000 probes
		# for the note (see permission_probe.py)
		result = permission_probe.run(probes=600, seed=11, verbose=False)
		self.assertEqual(result["probes"], 600)
		self.assertGreaterEqual(len(result["by_door"]), 20)
		self.assertEqual(result["leaks"], 0, result)
