# The two commands of the README: `make run` and `make test`. Each does all of its set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 8000

.PHONY: run test setup test-setup translations migrate demo urls messages lock bench clean

run: setup migrate demo urls
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: test-setup
	$(BIN)/python -m pytest

setup: $(VENV)/.installed translations

test-setup: setup $(VENV)/.installed-test node_modules/.installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Installs come from the lock files: every package, transitive ones too, at one version with
# its hashes (pip refuses anything else). requirements*.txt list what we ask for; `make lock`
# turns them into the locks (see docs/DEPLOY.md, "Upgrading one dependency").
$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	$(BIN)/pip install --disable-pip-version-check -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(BIN)/pip install --disable-pip-version-check -q --require-hashes -r requirements-test.lock
	touch $@

# axe-core for the accessibility tests (test-only, from the npm registry, never served).
node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# Compiled catalogs are build output (git-ignored), made from the committed .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d kiosk/translations

migrate: setup
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) seed-demo --if-empty

urls:
	@echo ""
	@echo "Screens (on this machine: http://localhost:$(PORT); on the LAN use this PC's address)."
	@echo "Ticket QR codes for phones use PUBLIC_URL (now: $${PUBLIC_URL:-unset}); see docs/DEPLOY.md."
	@echo "  Landing page        http://localhost:$(PORT)/"
	@echo "  Citizen kiosk       http://localhost:$(PORT)/kiosk   (pair it first: Admin > Kiosks)"
	@echo "  Staff console       http://localhost:$(PORT)/console"
	@echo "  Field logging       http://localhost:$(PORT)/field"
	@echo "  Waiting-room board  http://localhost:$(PORT)/display?site=DEMO"
	@echo "  Reports (VHXH)      http://localhost:$(PORT)/reports"
	@echo "  Administration      http://localhost:$(PORT)/admin"
	@echo "  Sign in             http://localhost:$(PORT)/login"
	@echo "  Health check        http://localhost:$(PORT)/healthz"
	@echo "Demo logins (change them before real use): admin/admin-demo, canbo/canbo-demo,"
	@echo "  doanvien/doanvien-demo, vhxh/vhxh-demo, thanhpho/thanhpho-demo"
	@echo ""

# Developer helper: refresh the message catalog after adding UI strings.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* node_modules' \
	  --no-location --sort-output -w 100 -o kiosk/translations/messages.pot .
	$(BIN)/pybabel update -i kiosk/translations/messages.pot -d kiosk/translations -l en --no-fuzzy-matching -w 100

# The load benchmark of the live paths (BENCHMARKS.md): wrk from Debian drives gunicorn.
bench: test-setup
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	$(BIN)/python bench/load.py $(BENCH_ARGS)

# Regenerate the lock files after editing requirements.txt or requirements-test.txt.
UV_VERSION := 0.13.9
LOCK := $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11
lock: | $(VENV)/bin/python
	$(BIN)/pip install --disable-pip-version-check -q uv==$(UV_VERSION)
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) requirements-test.txt -o requirements-test.lock

clean:
	rm -rf $(VENV) node_modules
