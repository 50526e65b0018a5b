# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app coursehub

WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
BIND ?= 127.0.0.1

.PHONY: run serve test lint install db demo clean bench

run: install db demo
	@echo "CourseHub is serving on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Production: gunicorn, WORKERS processes on PORT; configure with COURSEHUB_* variables.
serve: install db
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(BIND):$(PORT) --access-logfile - --no-control-socket \
		--forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}" "coursehub:create_app()"

test: install lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check coursehub tests migrations benchmarks
	$(BIN)/ruff format --check coursehub tests migrations benchmarks

# Load test: CourseHub as served above, beside a bare-Flask ceiling and FlaskBB, with the
# issue's budgets; BENCH_ROUNDS, BENCH_DURATION and BENCH_CLIENTS tune it.
bench: install
	$(BIN)/python -m benchmarks.http_bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

db: install
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo --if-empty

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
