# sciplan-kg — make help lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install system run build validate export report docs test lint format clean virtuoso-test virtuoso-serve virtuoso-stop serve office bench-formats

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (or run make PYTHON=python3)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) system ## create .venv, install the package with its test tools, and the system packages

SYSTEM_PACKAGES = chromium fonts-noto-cjk
system: ## Debian packages the report needs: a CJK font for the charts, chromium for the browser tests
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(SYSTEM_PACKAGES); \
	else echo "please install $(SYSTEM_PACKAGES) (a CJK font and chromium) with your package manager"; exit 2; fi

run: install ## build, validate, export the graph of the bundled plans (build/, build/sciplan-kg.ttl), report (report/)
	$(BIN)/sciplan-kg build --out build
	$(BIN)/sciplan-kg validate build > /dev/null
	$(BIN)/sciplan-kg export --data build --format turtle -o build/sciplan-kg.ttl
	$(BIN)/sciplan-kg export --data build --format trig --inferred -o build/sciplan-kg.trig
	$(BIN)/sciplan-kg report --data build --out report

docs: install ## ontology documentation in Chinese and English, with a diagram, into docs/ontology/
	$(BIN)/python -m sciplan_kg.publish.ontodocs docs/ontology

report: install ## HTML report of build/ (index, a page per plan, charts) into report/
	$(BIN)/sciplan-kg report --data build --out report

build: install ## build only (extract, reason, validate) into build/
	$(BIN)/sciplan-kg build --out build

validate: install ## validate build/ and print the report
	$(BIN)/sciplan-kg validate build

export: install ## export build/ as Turtle, TriG, N-Triples and JSON-LD
	@for f in turtle trig nt jsonld; do $(BIN)/sciplan-kg export --data build --format $$f --inferred -o build/export/sciplan-kg.$$f; done

# the tests on every core (pytest-xdist; tests/conftest.py: a module or a group at a time);
# TEST_WORKERS=0 runs them in one process
TEST_WORKERS ?= auto
test: install ## run lint, the import contract and the tests
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	SCIPLAN_REQUIRE_BROWSER=1 $(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 8 --dist loadgroup

# sizes make bench runs; SCALES=5,100 for a shorter run; REPEAT=3 runs the pipeline and the add
# of one plan three times per size (the median run in the table, the range beside it)
SCALES ?= 5,100,1000,3000
REPEAT ?= 1
bench: install ## every stage and query at 5, 100, 1,000, 3,000 plans, embedded and on Virtuoso if installed → BENCHMARKS.md (before → now)
	$(BIN)/python bench/run.py --scales $(SCALES) --repeat $(REPEAT)

bench-formats: install ## reading speed per input format (text, HTML, DOCX, PDF, a 40-page PDF, a 1 MB page)
	$(BIN)/python bench/formats.py

serve: install ## serve build/ with Oxigraph on http://127.0.0.1:7878/
	$(BIN)/sciplan-kg serve --data build --port 7878

office: ## optional: LibreOffice (Debian), to read .doc and .wps plans (large; .docx, .html, .pdf need nothing)
	@command -v soffice >/dev/null 2>&1 || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q libreoffice-writer-nogui; }

VIRTUOSO_INSTALL = command -v virtuoso-t >/dev/null 2>&1 || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq virtuoso-opensource curl; }

virtuoso-test: install ## install Virtuoso (Debian), load the plans into it, run the remote tests there
	@$(VIRTUOSO_INSTALL)
	BIN=$(BIN) ./scripts/virtuoso-test.sh

# the build folder virtuoso-serve loads and serves (DATA=/path/to/build for another)
DATA ?= build
virtuoso-serve: install ## the whole graph of DATA (build/) on Virtuoso (Debian; installed if missing) at 127.0.0.1:8890/sparql
	@$(VIRTUOSO_INSTALL)
	@[ -d "$(DATA)" ] || $(BIN)/sciplan-kg build --out "$(DATA)"
	@BIN=$(BIN) ./scripts/virtuoso-serve.sh start "$(DATA)"

virtuoso-stop: ## stop the Virtuoso that virtuoso-serve started for DATA (its database stays in DATA.virtuoso/)
	@BIN=$(BIN) ./scripts/virtuoso-serve.sh stop "$(DATA)"

lint: install ## ruff lint and format check, and the import contract (stages import only the stages before them)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

format: install ## reformat the code with ruff
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean: ## remove build outputs and caches
	rm -rf build build.oxigraph build.serve report docs/ontology bench/.work .pytest_cache .ruff_cache
