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
