"""Production code takes the same paths under tests as on a real site: it never asks
frappe.flags.in_test and never imports the test package; the one thing it asks is km_crm.testing's
switch, which only the test setup (km_crm/tests/setup.py) turns on."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "km_crm"


def _production_files() -> list[Path]:
	return [
		path
		for path in sorted(ROOT.rglob("*.py"))
		if "tests" not in path.relative_to(ROOT).parts and not path.name.startswith("test_")
	]


def _where(predicate) -> list[str]:
	found = []
	for path in _production_files():
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if predicate(node):
				found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
	return found


def test_production_code_never_asks_whether_it_runs_under_tests():
	assert _where(lambda n: isinstance(n, ast.Attribute) and n.attr == "in_test") == []


def test_production_code_never_imports_the_test_package():
	def imports_tests(node) -> bool:
		if isinstance(node, ast.ImportFrom):
			module = node.module or ""
			return module.startswith("km_crm.tests") or (
				module == "km_crm" and any(a.name == "tests" for a in node.names)
			)
		if isinstance(node, ast.Import):
			return any(a.name.startswith("km_crm.tests") for a in node.names)
		return False

	assert _where(imports_tests) == []


def test_the_switch_is_off_unless_the_test_setup_turns_it_on():
	switch = ROOT / "testing.py"
	tree = ast.parse(switch.read_text(encoding="utf-8"))
	assigned = [n for n in tree.body if isinstance(n, ast.Assign)]
	assert [(t.id, ast.literal_eval(n.value)) for n in assigned for t in n.targets] == [("RUN", None)]
	setters = _where(
		lambda n: isinstance(n, ast.Attribute) and n.attr == "RUN" and isinstance(n.ctx, ast.Store)
	)
	assert setters == []  # production code only reads it (km_crm/tests/setup.py sets it)
