# 督办看板 — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501

.PHONY: run test screens bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

# Set everything up, seed the default SQLite store with the 2022 plan and its demo course when
# it is empty, and open the dashboard.
run: $(STAMP)
	$(PY) -m seed bootstrap
	$(PY) -m streamlit run dashboard/server.py --server.port $(PORT)

# The whole suite; exit code 5 ("no tests collected") is a failure here, not a pass.
test: $(STAMP)
	$(PY) -m pytest -q

# Rewrite the README's screenshots (docs/screens) from a real Chromium at 1920x1080.
screens: $(STAMP)
	DUBAN_SCREENSHOTS=docs/screens $(PY) -m pytest -q tests/browser/test_pages_in_browser.py -k captured

bench: $(STAMP)
	$(PY) -m bench --json docs/bench.json

clean:
	rm -rf $(VENV) .pytest_cache
