"""What the browser checks (scripts/xss-check, scripts/portal-check, scripts/journey-check) share: running bench commands,
serving the test site for the length of a check, and Debian's headless Chromium driven by Playwright
(nothing downloads a browser)."""

import contextlib
import os
import signal
import subprocess
import time
import urllib.request

CHROMIUM = os.environ.get("KM_CRM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]


def bench(bench_dir: str, *args: str) -> str:
	out = subprocess.run(["bench", *args], cwd=bench_dir, capture_output=True, text=True, check=True)
	return out.stdout


def bench_json(bench_dir: str, site: str, method: str):
	"""Run `bench execute method` on the site; the method prints its answer as JSON on its last line."""
	import json

	return json.loads(bench(bench_dir, "--site", site, "execute", method).strip().splitlines()[-1])


@contextlib.contextmanager
def served(bench_dir: str, site: str, port: str):
	"""The site served by `bench serve` on 127.0.0.1:port; yields the base URL."""
	server = subprocess.Popen(
		["bench", "--site", site, "serve", "--port", port, "--noreload"],
		cwd=bench_dir,
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)
	base = f"http://127.0.0.1:{port}"
	try:
		_wait_for(f"{base}/api/method/ping")
		yield base
	finally:
		os.killpg(server.pid, signal.SIGTERM)


def chromium(playwright):
	return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def _wait_for(url: str, seconds: int = 60) -> None:
	for _ in range(seconds * 2):
		try:
			urllib.request.urlopen(url, timeout=2)
			return
		except Exception:
			time.sleep(0.5)
	raise SystemExit(f"the site did not answer at {url}")


class Check:
	def __init__(self, shots: str):
		self.shots = shots
		self.failures: list[str] = []
		os.makedirs(shots, exist_ok=True)

	def step(self, name: str, page, fn) -> None:
		try:
			fn()
			print(f"  ok    {name}")
		except Exception as exc:  # a failed step is reported, the others still run
			self.failures.append(f"{name}: {str(exc).splitlines()[0][:300]}")
			print(f"  FAIL  {name}: {exc}")
		finally:
			page.screenshot(path=os.path.join(self.shots, f"{name}.png"), full_page=True)


def expect(condition: bool, message: str) -> None:
	if not condition:
		raise AssertionError(message)


def login(page, base: str, user: str, password: str) -> None:
	"""Signs the page's browser context in as user (the session cookie is shared by its pages)."""
	response = page.request.post(f"{base}/api/method/login", form={"usr": user, "pwd": password})
	expect(response.ok, f"{user} could not sign in: {response.status}")


def signed_in_page(browser, base: str, who: dict, locale: str = "en-US"):
	"""A new 1440x900 page in its own context, signed in as who ({"user", "password"})."""
	context = browser.new_context(locale=locale, viewport={"width": 1440, "height": 900})
	page = context.new_page()
	login(page, base, who["user"], who["password"])
	return page
