# Sổ thụ lý điện tử KSTHAHS: the two commands a fresh machine needs.
#
#   make demo   set everything up and run the app on http://127.0.0.1:8000/
#   make test   set up, run the whole test suite, then the linters
#
# Both work without any variable: the embedded default keeps SQLite under
# data/ and runs tasks in-process. `make test` uses PostgreSQL when
# DATABASE_URL is set (.ci/run does that).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Set-up steps depend on one another (system packages, then the venv).
.NOTPARALLEL:

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
RUFF := $(VENV)/bin/ruff
# Reinstalling is skipped until pyproject.toml changes again.
STAMP := $(VENV)/.installed-sothuly

HOST := 127.0.0.1
PORT := 8000

# What WeasyPrint and the printed documents need: Pango, HarfBuzz's subsetter
# for embedded fonts, Liberation fonts with every Vietnamese letter, and
# poppler-utils to read PDFs back in tests. Chromium is left to .ci/run.
SYSTEM_PACKAGES := fonts-liberation2 libharfbuzz-subset0 poppler-utils \
	libpango-1.0-0 libpangoft2-1.0-0

.PHONY: help demo test lint format clean install sysdeps

help:
	@echo "make demo    set up and run the demo on http://$(HOST):$(PORT)/"
	@echo "make test    set up, run the tests (PostgreSQL if DATABASE_URL is set), lint"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make format  ruff format and the fixable ruff checks"
	@echo "make clean   remove data/ and the install stamp (the venv stays)"

# Installs the Debian packages as root; otherwise says how, and carries on.
sysdeps:
	@missing=""; \
	if ! command -v dpkg-query >/dev/null; then \
		echo "Not Debian/Ubuntu: install the equivalents of: $(SYSTEM_PACKAGES)"; \
		exit 0; \
	fi; \
	for package in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' "$$package" 2>/dev/null \
			| grep -q '^install ok installed$$' || missing="$$missing $$package"; \
	done; \
	if [ ! -x $(PY) ] && ! ($(find_python)) >/dev/null 2>&1; then \
		missing="$$missing python3-venv"; \
	fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing system packages:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq; \
		apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "Missing system packages; install them with:"; \
		echo "  sudo apt-get install$$missing"; \
	fi

# Prints the first python3 >= 3.11 that can create a venv, or fails.
define find_python
for candidate in python3 python3.13 python3.12 python3.11; do \
	if command -v "$$candidate" >/dev/null && "$$candidate" -c \
		'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
		2>/dev/null; then \
		command -v "$$candidate"; exit 0; \
	fi; \
done; exit 1
endef

$(PY):
	@python="$$($(find_python))" || { \
		echo "Needs Python 3.11 or newer with venv (Debian: apt-get install python3-venv)."; \
		exit 1; }; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

$(STAMP): pyproject.toml | $(PY)
	@echo "Installing the project and its dependencies into $(VENV)"
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(STAMP)

demo: sysdeps install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@# Without Redis there is no Celery beat: today's alerts are made here;
	@# schedule `manage.py run_monitoring` daily (cron) to keep them fresh.
	$(MANAGE) run_monitoring
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo
	@echo "Sổ thụ lý điện tử KSTHAHS: http://$(HOST):$(PORT)/"
	@echo "Đăng nhập: ksv.kv1 / Demo@2026! (kiểm sát viên); cùng mật khẩu:" \
		"lanhdao.kv1 (lãnh đạo đơn vị), vanthu.kv1 (văn thư)," \
		"lanhdao.tinh (lãnh đạo VKSND thành phố), quantri (quản trị)"
	@echo
	@# --insecure: with DEBUG off (no tracebacks for users) runserver serves
	@# the static files only when asked to.
	$(MANAGE) runserver --insecure $(HOST):$(PORT)

# Runs pytest and both linters even when one fails, so one run shows all.
test: sysdeps install
	@status=0; \
	if [ -n "$${DATABASE_URL:-}" ]; then \
		echo "Tests on $${DATABASE_URL%%://*} (DATABASE_URL)"; \
	else \
		echo "Tests on SQLite (no DATABASE_URL)"; \
	fi; \
	SOTHULY_ENV=test $(PY) -m pytest || status=1; \
	$(RUFF) check . || status=1; \
	$(RUFF) format --check . || status=1; \
	exit $$status

lint: install
	$(RUFF) check .
	$(RUFF) format --check .

# Applies what ruff can fix and lists the rest; `make lint` is the gate.
format: install
	$(RUFF) check --fix --exit-zero .
	$(RUFF) format .

clean:
	rm -rf data $(STAMP)
