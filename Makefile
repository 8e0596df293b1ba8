# Two commands do all set-up: `make run` starts Companion, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench bundle deb wheel i18n clean

$(STAMP): pyproject.toml
	@bash scripts/system-deps.sh run
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[test,bundle]'
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(BIN)/companion $(ARGS)

test: $(STAMP)
	@bash scripts/system-deps.sh test
	$(BIN)/ruff check companion tests benchmarks scripts packaging
	$(BIN)/ruff format --check companion tests benchmarks scripts packaging
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check companion tests benchmarks scripts packaging
	$(BIN)/ruff format --check companion tests benchmarks scripts packaging
	$(BIN)/mypy

bench: $(STAMP)
	@bash scripts/system-deps.sh test
	$(BIN)/python benchmarks/run_all.py

bundle: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean build.spec

# The Debian package from the bundle (packaging/build_deb.py; packaging/README.md says how and why).
deb: bundle
	$(BIN)/python packaging/build_deb.py

# The wheel and the sdist in dist/ (pipx install dist/companion-*.whl)
wheel: $(STAMP)
	$(BIN)/python -m build --outdir dist .

# Extract every marked sentence, update each language's .po, compile the .mo files (scripts/i18n.py).
i18n: $(STAMP)
	$(BIN)/python scripts/i18n.py

clean:
	rm -rf $(VENV) build dist test-artifacts .pytest_cache
