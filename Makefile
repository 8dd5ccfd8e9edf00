# Developer shortcuts (the README's commands work without make).
.PHONY: test lint format samples bench

test:
	python -m pytest -q

lint:
	ruff check sakip_xlsx tests samples benchmarks docs
	ruff format --check sakip_xlsx tests samples benchmarks docs

format:
	ruff format sakip_xlsx tests samples benchmarks docs

samples:
	python samples/build.py
	sakip-xlsx results samples/ --outdir samples/hasil --overwrite

bench:
	python benchmarks/run.py
