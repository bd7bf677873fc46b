# smeplan — the two set-up commands are `make run` and `make test` (see README).
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
ASSETS   := build/.assets
SYSTEM   := build/.system-packages
TESTSYS  := build/.test-packages
DEMO_ENTERPRISES ?= 20000
DEMO_PASSWORD    ?= smeplan-demo
ADDR     ?= 127.0.0.1:8000

.PHONY: run test venv assets system lint format bench lock clean

$(STAMP): requirements.lock
	@PYBIN=$$(scripts/find-python) && echo "using $$PYBIN" && $$PYBIN -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $(STAMP)

venv: $(STAMP)

# Browser assets (ECharts, the county map) from package-lock.json into build/static (git-ignored).
$(ASSETS): package-lock.json scripts/build_assets.py $(wildcard smeplan/regions/data/*.csv) $(STAMP)
	@command -v npm >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && echo "installing npm (Debian package) for the browser assets" \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund
	$(PY) scripts/build_assets.py
	@touch $(ASSETS)

assets: $(ASSETS)

# Debian packages the PDF reports need (WeasyPrint): Pango and a Chinese font (fonts-noto-cjk).
# Installed only when missing: `fc-list :lang=zh` finds no font or the Pango FT2 library is absent.
$(SYSTEM):
	@mkdir -p $(dir $(SYSTEM))
	@if fc-list :lang=zh 2>/dev/null | grep -q . \
	    && { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libpangoft2-1.0.so.0'; then \
	  touch $(SYSTEM); \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Pango and fonts-noto-cjk (Debian packages) for the PDF reports"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    fontconfig libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null && touch $(SYSTEM); \
	else \
	  echo "WARNING: the PDF reports need Pango and a Chinese font. As root run:"; \
	  echo "  apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"; \
	fi

system: $(SYSTEM)

# Debian packages the tests need besides those: Chromium for the browser journeys (tests/e2e, driven by
# Playwright at /usr/bin/chromium) and poppler-utils (pdftotext) to read the annual report's PDF back.
$(TESTSYS):
	@mkdir -p $(dir $(TESTSYS))
	@if [ -x /usr/bin/chromium ] && command -v pdftotext >/dev/null 2>&1; then \
	  touch $(TESTSYS); \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and poppler-utils (Debian packages) for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium poppler-utils >/dev/null && touch $(TESTSYS); \
	else \
	  echo "WARNING: the browser journeys need Debian's chromium and the PDF test poppler-utils. As root run:"; \
	  echo "  apt-get install -y --no-install-recommends chromium poppler-utils"; \
	fi

run: $(STAMP) $(ASSETS) $(SYSTEM)
	$(PY) scripts/compile_messages.py
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_province --if-empty --enterprises $(DEMO_ENTERPRISES) --password $(DEMO_PASSWORD)
	$(PY) manage.py programmes_load
	$(PY) manage.py demo_recognition --if-empty
	$(PY) manage.py demo_targets --if-empty
	$(PY) manage.py demo_self_service --if-empty --password $(DEMO_PASSWORD)
	$(PY) manage.py recognition_daily
	$(PY) manage.py reminders_send
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_logins --password $(DEMO_PASSWORD)
	$(PY) manage.py runserver --noreload $(ADDR)

test: $(STAMP) $(ASSETS) $(SYSTEM) $(TESTSYS)
	$(PY) scripts/compile_messages.py
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) bench/load_demo.py
	$(PY) bench/registry_list.py $(BENCH_ARGS)

lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.12 -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles build node_modules
