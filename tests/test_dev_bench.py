"""scripts/dev-bench without running it: its syntax, its help, and a dry run (DEV_BENCH_DRY_RUN=1)
against stub commands that only record they were called."""

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "dev-bench"
STUBS = ("apt-get", "sudo", "bench", "mysql", "pip", "pipx", "dpkg-query", "node", "npm", "yarn", "service")


@pytest.fixture
def stub_env(tmp_path):
	stubs = tmp_path / "bin"
	stubs.mkdir()
	calls = tmp_path / "calls.log"
	for name in STUBS:
		stub = stubs / name
		stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{calls}"\nexit 1\n')
		stub.chmod(0o755)
	# a user with sudo, not root
	(stubs / "id").write_text('#!/bin/sh\ncase "$1" in -u) echo 1000 ;; *) echo dev ;; esac\n')
	(stubs / "id").chmod(0o755)
	env = {
		"PATH": f"{stubs}:/usr/bin:/bin",
		"HOME": str(tmp_path / "home"),
		"DEV_BENCH_DRY_RUN": "1",
		"FRAPPE_SOURCE": "/src/frappe",
		"ERPNEXT_SOURCE": "/src/erpnext",
		"HELPDESK_SOURCE": "/src/helpdesk",
		"HELPDESK_REF": "v1.25.1-local",
		"TELEPHONY_SOURCE": "/src/telephony",
		"TELEPHONY_REF": "main",
		"ADMIN_PASSWORD": "s3cret",
	}
	return env, calls, tmp_path


def _run(args, env):
	return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=20)


def test_the_script_parses():
	assert subprocess.run(["bash", "-n", str(SCRIPT)]).returncode == 0
	assert os.access(SCRIPT, os.X_OK)


def test_help_prints_the_usage_and_succeeds(stub_env):
	env, _calls, _tmp = stub_env
	result = _run(["--help"], env)
	assert result.returncode == 0
	assert result.stdout.startswith("Usage: scripts/dev-bench")
	for option in ("--with-helpdesk", "--no-start", "--bench-dir", "--site", "--port", "FRAPPE_SOURCE"):
		assert option in result.stdout


def test_an_unknown_option_is_refused(stub_env):
	env, _calls, _tmp = stub_env
	result = _run(["--wat"], env)
	assert result.returncode == 2
	assert "unknown option" in result.stderr


def test_a_dry_run_shows_the_standard_bench_commands_in_order_and_runs_none(stub_env):
	env, calls, tmp = stub_env
	bench_dir = tmp / "b"
	result = _run(
		["--with-helpdesk", "--bench-dir", str(bench_dir), "--site", "try.localhost", "--port", "8461"], env
	)
	assert result.returncode == 0, result.stderr
	# "+ command" or "+ (cd BENCH) command"
	lines = [line[2:] for line in result.stdout.splitlines() if line.startswith("+ ")]
	lines = [line.split(") ", 1)[1] if line.startswith("(cd ") else line for line in lines]
	expected = [
		f"bench init --ignore-exist --frappe-branch version-15 --python python3 --skip-assets --no-procfile --frappe-path /src/frappe {bench_dir}",
		"env CI=1 bench setup procfile",
		"bench get-app --skip-assets --branch version-15 /src/erpnext",
		"bench get-app --skip-assets --branch main /src/telephony",
		"bench get-app --skip-assets --branch v1.25.1-local /src/helpdesk",
		f"bench pip install -q -e {bench_dir}/apps/km_crm",
		"bench build",
		"bench new-site try.localhost --admin-password s3cret --db-root-password admin",
		"bench --site try.localhost install-app erpnext",
		"bench --site try.localhost install-app telephony",
		"bench --site try.localhost install-app helpdesk",
		"bench --site try.localhost install-app km_crm",
		"bench --site try.localhost execute km_crm.demo.loader.load",
		"bench use try.localhost",
		"bench set-config developer_mode 0",
		"bench --site try.localhost set-config km_crm_dev_bench_ready 2",
	]
	bench_lines = [line for line in lines if line.startswith(("bench ", "env CI=1 bench"))]
	wizard = [line for line in bench_lines if "setup_wizard.setup_complete" in line]
	assert len(wizard) == 1 and '"company_name": "KM Demo Ltd"' in wizard[0]
	# ERPNext's setup wizard before the demo (its customers need ERPNext's address templates)
	demo = "bench --site try.localhost execute km_crm.demo.loader.load"
	assert bench_lines.index(wizard[0]) == bench_lines.index(demo) - 1
	assert [line for line in bench_lines if "clear-cache" not in line and line not in wizard] == expected
	# this checkout is linked, not cloned; packages go through sudo for a user who is not root
	assert f"ln -s {SCRIPT.parent.parent} {bench_dir}/apps/km_crm" in lines
	assert any(line.startswith("sudo env DEBIAN_FRONTEND=noninteractive apt-get install") for line in lines)
	# the ports follow --port: web 8461, redis 13461/11461
	assert "web 8461, redis 13461/11461" in result.stdout
	assert "http://try.localhost:8461" in result.stdout
	# nothing was run: no stub recorded an install, a bench command or a database change
	recorded = calls.read_text() if calls.exists() else ""
	for command in ("apt-get", "sudo", "bench", "mysql", "pip", "npm", "service"):
		assert not [c for c in recorded.splitlines() if c.startswith(command + " ")], recorded
	assert not bench_dir.exists()
