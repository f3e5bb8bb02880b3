"""The floors stay: no two packages of km_crm import each other, lazy imports included (production
code only; tests may reach anywhere)."""

import ast
import collections
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "km_crm"


def _production_modules() -> dict[str, Path]:
	mods = {}
	for path in ROOT.rglob("*.py"):
		parts = path.relative_to(ROOT.parent).with_suffix("").parts
		if "tests" in parts or parts[-1].startswith("test_"):
			continue
		name = ".".join(parts).removesuffix(".__init__")
		mods[name] = path
	return mods


def _package_graph() -> dict[str, set[str]]:
	mods = _production_modules()

	def resolve(name: str) -> str:
		while name and name not in mods:
			name = name.rpartition(".")[0]
		return name

	def package(module: str) -> str:
		return ".".join(module.split(".")[:2])

	graph: dict[str, set[str]] = collections.defaultdict(set)
	for me, path in mods.items():
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("km_crm"):
				targets = [resolve(f"{node.module}.{a.name}") for a in node.names]
			elif isinstance(node, ast.Import):
				targets = [resolve(a.name) for a in node.names if a.name.startswith("km_crm")]
			else:
				continue
			for target in targets:
				if target and package(target) != package(me):
					graph[package(me)].add(package(target))
	return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
	"""Each package that can reach itself, with one path back to it."""
	found = []
	for start in sorted(graph):
		stack, seen = [(start, [start])], set()
		while stack:
			node, path = stack.pop()
			for nxt in sorted(graph.get(node, ())):
				if nxt == start:
					found.append([*path, start])
					stack = []
					break
				if nxt not in seen:
					seen.add(nxt)
					stack.append((nxt, [*path, nxt]))
	return found


def test_no_package_imports_one_that_imports_it_back():
	cycles = _cycles(_package_graph())
	assert not cycles, "packages on an import cycle:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_check_finds_a_cycle_when_there_is_one():
	graph = {"km_crm.a": {"km_crm.b"}, "km_crm.b": {"km_crm.c"}, "km_crm.c": {"km_crm.a"}, "km_crm.d": set()}
	assert {tuple(c) for c in _cycles(graph)} >= {("km_crm.a", "km_crm.b", "km_crm.c", "km_crm.a")}
	assert _cycles({"km_crm.a": {"km_crm.b"}, "km_crm.b": set()}) == []


# --- pure modules: each feature folder's README lists them ("Pure (no Frappe): a.py, b.py") ---------


def _imports(path: Path) -> tuple[bool, set[str]]:
	"""(imports frappe, the km_crm modules it imports), lazy imports included."""
	mods = _production_modules()
	frappe_seen, found = False, set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if isinstance(node, ast.ImportFrom):
			module = node.module or ""
			frappe_seen |= module.split(".")[0] == "frappe"
			if module.startswith("km_crm"):
				found |= {
					f"{module}.{a.name}" if f"{module}.{a.name}" in mods else module for a in node.names
				}
		elif isinstance(node, ast.Import):
			frappe_seen |= any(a.name.split(".")[0] == "frappe" for a in node.names)
			found |= {a.name for a in node.names if a.name.startswith("km_crm")}
	return frappe_seen, found


def _pure_modules() -> set[str]:
	"""Production modules that import frappe neither themselves nor through a km_crm module."""
	mods = _production_modules()
	read = {name: _imports(path) for name, path in mods.items()}
	verdict: dict[str, bool] = {}

	def pure(name: str, seen: frozenset = frozenset()) -> bool:
		if name not in read:
			return True  # km_crm itself (package __init__)
		if name not in verdict:
			frappe_seen, deps = read[name]
			verdict[name] = not frappe_seen and all(pure(d, seen | {name}) for d in deps - seen - {name})
		return verdict[name]

	return {name for name in mods if pure(name)}


def _listed_pure(readme: Path) -> set[str]:
	for line in readme.read_text(encoding="utf-8").splitlines():
		if line.startswith("Pure (no Frappe):"):
			names = line.split(":", 1)[1].strip()
			return set() if names == "none" else {n.strip() for n in names.split(",")}
	raise AssertionError(f"{readme} has no 'Pure (no Frappe):' line")


def test_each_feature_readme_lists_exactly_its_pure_modules():
	pure, mods = _pure_modules(), _production_modules()
	readmes = sorted(ROOT.glob("*/README.md"))
	assert len(readmes) >= 10, "the feature folders lost their READMEs"
	wrong = []
	for readme in readmes:
		listed = _listed_pure(readme)
		actual = {mods[name].name for name in pure if mods[name].parent == readme.parent} - {"__init__.py"}
		if listed != actual:
			wrong.append(
				f"{readme.relative_to(ROOT.parent)}: lists {sorted(listed)}, pure are {sorted(actual)}"
			)
	assert not wrong, "\n".join(wrong)
