# The README's two commands: `make e2e` (set up, then the suite on the embedded
# default) and `make test` (set up, then the suite's own tests and the features).
# Set-up is idempotent: a second run only checks.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
ETCD_PACKAGE := etcd-server
# Upstream source trees the Go module proxy refuses (the AWS broker's chart,
# templates and setup files; Kf 2.11): ../shared/sources where it exists.
# Set ASB_CONFORMANCE_SOURCES to use another folder; without one, Kf 2.11 is
# cloned at its tag (checked against its commit) and what needs the AWS
# broker's tree is skipped with that reason.
ASB_CONFORMANCE_SOURCES ?= $(abspath $(wildcard ../shared/sources))
export ASB_CONFORMANCE_SOURCES

.PHONY: setup python system system-etcd system-chromium toolchain e2e test typecheck docs e2e-existing bench bench-features preflight lock clean setup-kind e2e-kind bench-kind soak qualify-services matrix

setup: python system toolchain

python: $(VENV)/.installed
$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found: install Python 3.11+"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

system: system-etcd system-chromium

# etcd comes from Debian (3.4, the series Kubernetes 1.21 was tested with).
system-etcd:
	@command -v etcd >/dev/null && exit 0; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "error: etcd is missing: install Debian's $(ETCD_PACKAGE) (sudo apt-get install $(ETCD_PACKAGE)) or put an etcd 3.4 in ASB_CONFORMANCE_BIN_DIR"; exit 2; \
	fi; \
	echo "[setup] installing $(ETCD_PACKAGE) from Debian"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(ETCD_PACKAGE) >/dev/null

# Debian's Chromium opens the report pages in tests/test_report_pages.py (as a
# reader would); without it that test is skipped, saying so.
CHROMIUM_PACKAGE := chromium
system-chromium:
	@command -v chromium >/dev/null && exit 0; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "[setup] chromium is missing: the report pages' browser test will be skipped (sudo apt-get install $(CHROMIUM_PACKAGE))"; exit 0; \
	fi; \
	echo "[setup] installing $(CHROMIUM_PACKAGE) from Debian (the report pages' browser test)"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(CHROMIUM_PACKAGE) >/dev/null \
	  || echo "[setup] $(CHROMIUM_PACKAGE) could not be installed (above): the report pages' browser test will be skipped"

# The real AWS Service Broker (the module proxy refuses it: built from the sources
# folder's tree) and Kf 2.11 (its tree, or a clone of its tag); where either cannot be
# had the set-up says so and goes on: its scenarios are then skipped with that reason.
toolchain: python
	$(PY) -m fixtures.cli.toolchain build
	@$(PY) -m fixtures.cli.toolchain build --profile aws-broker || echo "[setup] the AWS Service Broker was not built (the line above says why): the @aws_broker scenarios will be skipped with that reason" >&2
	@$(PY) -m fixtures.cli.toolchain build --profile kf2 || echo "[setup] Kf 2.11 was not built (the line above says why): the @kf2 scenarios will be skipped with that reason" >&2

# The scenarios run in parallel (pytest-xdist): on the embedded profile 3 workers per
# control plane, one control plane more than cores (conftest's
# pytest_xdist_auto_num_workers, docs/parallel.md); PARALLEL= runs them one at a
# time (README, "In parallel").
PARALLEL ?= -n auto

e2e: setup
	$(PYTEST) features/ $(PARALLEL) $(PYTEST_ARGS)

# The suite's own tests one at a time (several start an embedded control plane,
# and two of those cannot share this machine), then the features in parallel.
test: setup typecheck docs
	$(PYTEST) tests/ $(PYTEST_ARGS)
	$(PYTEST) features/ $(PARALLEL) $(PYTEST_ARGS)

# The suite's own code, typed, and its layers kept (both configured in pyproject.toml).
typecheck: python
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# The docs site (mkdocs.yml, docs/): a broken link or a page left out fails it.
docs: python
	$(VENV)/bin/mkdocs build --strict --quiet

# The kind profile: Docker and debootstrap from Debian (root on Debian), kind and
# the node image's binaries from the Go module proxy. The suite starts a Docker
# daemon itself only if none answers (see README, "The kind profile").
KIND_PACKAGES := docker.io debootstrap
setup-kind: setup
	@missing=""; for c in docker dockerd debootstrap; do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	    echo "error: missing$$missing: install Docker and debootstrap (sudo apt-get install $(KIND_PACKAGES))"; exit 2; fi; \
	  echo "[setup] installing $(KIND_PACKAGES) from Debian"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(KIND_PACKAGES) >/dev/null; \
	fi
	$(PY) -m fixtures.cli.toolchain build --profile kind

# One scenario at a time by default; KIND_PARALLEL="-n 3" runs three at once on the one kind
# cluster (CI does: the real broker's journeys spend most of their time in Lambda containers).
KIND_PARALLEL ?=
e2e-kind: setup-kind
	$(PYTEST) features/ --cluster=kind $(KIND_PARALLEL) $(PYTEST_ARGS)
	ASB_CONFORMANCE_KIND_TESTS=1 $(PYTEST) tests/kind $(PYTEST_ARGS)

# The existing-cluster profile, for real: a standing kind cluster with Service
# Catalog (made the suite's way), the features run against its kubeconfig as
# against any cluster (brokers and moto as pods in it), then the cluster removed.
# What this profile changes against kind, and the features that exercise each:
# Service Catalog and Kf 2.11 found, not installed (verify, kf2); brokers as pods
# reached by port-forward (method2, marketplace); the broker's image put where
# the nodes run it, and the page's helm install (method1). The other features
# place nothing differently from kind, which CI runs whole just before:
# EXISTING_FEATURES=features/ runs them all here too.
EXISTING_FEATURES ?= features/verify.feature features/kf2.feature features/method2.feature features/marketplace.feature features/method1.feature
EXISTING_PARALLEL ?=
EXISTING_NAME := asb-existing
EXISTING_KUBECONFIG := $(HOME)/.cache/aws-sb-conformance/kind/$(EXISTING_NAME).kubeconfig
e2e-existing: setup-kind
	@trap '$(PY) -m fixtures.cli.standing down $(EXISTING_NAME)' EXIT; trap 'exit 130' INT TERM; \
	$(PY) -m fixtures.cli.standing up $(EXISTING_NAME) $(EXISTING_KUBECONFIG) && \
	$(PYTEST) $(EXISTING_FEATURES) --cluster=kubeconfig=$(EXISTING_KUBECONFIG) $(EXISTING_PARALLEL) $(PYTEST_ARGS)

# Every plan of the real broker's 27 services, straight through OSB on emulated AWS: provision,
# last_operation, bind, unbind, deprovision, each checked against moto (reports/<run>/services.md).
# moto runs upstream's Lambda functions in containers: Docker and the images, as for kind.
qualify-services: setup-kind
	$(PY) -m fixtures.cli.qualify_services $(QUALIFY_ARGS)

# The compatibility matrix (tools/matrix.toml): each cell built and run as an ordinary run of the
# @matrix scenarios, then merged into reports/matrix/<commit>/compat.md and compat.html. A rerun
# on the same commit resumes; MATRIX_ARGS="--cells pins,k8s122 --jobs 2 --baseline OLD/compat.json --fresh".
matrix: setup-kind
	$(PY) -m fixtures.cli.matrix run $(MATRIX_ARGS)

bench-kind: setup-kind
	$(PY) -m bench.kind
	$(PY) -m bench.kf2 --cluster kind
	$(PY) -m bench.method1

# Steadiness: N full runs of the features, M interrupted ones; reports/soak-<id>/soak.md.
# Embedded runs each go in their own network namespace (root); kind takes /tmp/asb-kind.lock.
N ?= 10
M ?= 10
PROFILE ?= embedded
soak: $(if $(filter kind%,$(PROFILE)),setup-kind,setup)
	$(PY) -m fixtures.cli.soak --runs $(N) --interrupts $(M) --cluster $(PROFILE) $(SOAK_ARGS) -- $(if $(filter kind%,$(PROFILE)),,$(PARALLEL)) $(PYTEST_ARGS)

preflight: python
	$(PYTEST) features/ --preflight

# The whole embedded feature run, serial and parallel (medians, where the time went).
bench-features: setup
	$(PY) -m bench.features --workers 0,auto --runs 3

bench: setup
	$(PY) -m bench.startup
	$(PY) -m bench.registration
	$(PY) -m bench.aws
	$(PY) -m bench.kf2
	$(PY) -m bench.journey

# Refresh requirements.lock from pyproject.toml's direct pins.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet $$($(PYTHON) -c 'import tomllib;print(" ".join(tomllib.load(open("pyproject.toml","rb"))["project"]["dependencies"]))')
	{ echo "# Generated by 'make lock' from pyproject.toml: every Python package a run uses, pinned."; .lock-venv/bin/pip freeze; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) reports/2*
