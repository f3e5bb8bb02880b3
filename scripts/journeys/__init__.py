"""One module per journey, each with `run(check, browser, base, bench_dir, site)` (see scripts/journey-check)."""
