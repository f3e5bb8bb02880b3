"""What the manager's browser journey (scripts/journeys/manager_views.py) needs on the test site: a
support agent who reads the desk in Chinese, with the demo agent's roles (the demo's own agent keeps
its language for the other journeys).

	bench --site SITE execute km_crm.tests.journey_seed_manager.seed

The demo must be loaded. Running it again reuses the user. Prints what the journey needs as JSON.
"""

import json

import frappe

from km_crm.demo.loader import DEMO_PASSWORD
from km_crm.demo.ticket_content import AGENTS
from km_crm.demo.users import ensure_user

AGENT_ZH = "km.agent.zh@example.com"


def seed() -> dict:
	_email, _name, roles, km_roles = AGENTS[0]
	ensure_user(AGENT_ZH, "Zhang Support", [*roles, *km_roles], DEMO_PASSWORD)
	frappe.db.set_value("User", AGENT_ZH, "language", "zh")
	frappe.db.commit()
	answer = {"agent_zh": AGENT_ZH, "coach": "km.chair@example.com", "password": DEMO_PASSWORD}
	print(json.dumps(answer))
	return answer
