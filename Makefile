# Two commands set up and run everything on a fresh Debian machine (as root):
#   make demo   install what is missing, build, run the main job on the flagship scenario
#   make test   install what is missing, then formatting, lints, the whole test suite, benches compile
SHELL := /bin/bash
CARGO ?= cargo
FLAGSHIP := scenarios/saas-annual-plan.toml
DEMO_OUT := out/demo
BIN := target/release/roadmap

.PHONY: demo test deps test-deps build fuzz bench bench-memory bench-nrp bench-optimize

# HiGHS is built from source by highs-sys: it needs cmake, a C++ compiler and libclang (bindgen).
# scripts/deps.sh decides what is missing, the way bindgen looks, and installs it (as root).
deps:
	@bash scripts/deps.sh build

# The report test opens report.html in real headless Chromium (Debian's chromium package).
test-deps:
	@bash scripts/deps.sh test

build: deps
	$(CARGO) build --release --locked

demo: build
	@echo
	@echo "== roadmap validate $(FLAGSHIP)"
	@$(BIN) validate $(FLAGSHIP)
	@echo
	@echo "== roadmap capacity $(FLAGSHIP) --out $(DEMO_OUT)"
	@$(BIN) capacity $(FLAGSHIP) --out $(DEMO_OUT)
	@echo
	@echo "== roadmap optimize $(FLAGSHIP) -o $(DEMO_OUT)/plan.csv"
	@$(BIN) optimize $(FLAGSHIP) -o $(DEMO_OUT)/plan.csv
	@echo
	@echo "== roadmap simulate $(FLAGSHIP) --plan $(DEMO_OUT)/plan.csv --out $(DEMO_OUT)"
	@$(BIN) simulate $(FLAGSHIP) --plan $(DEMO_OUT)/plan.csv --out $(DEMO_OUT)
	@echo
	@echo "== roadmap report $(FLAGSHIP) -o $(DEMO_OUT)/report"
	@$(BIN) report $(FLAGSHIP) -o $(DEMO_OUT)/report
	@echo
	@echo "The flagship's report: $(CURDIR)/$(DEMO_OUT)/report/report.html"

test: test-deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --locked --all-targets -- -D warnings
	$(CARGO) test --release --locked
	$(CARGO) bench --locked --no-run

# A longer run of the parse + validate fuzz target than the test suite's.
fuzz: deps
	PROPTEST_CASES=$${CASES:-200000} $(CARGO) test --release --locked --test fuzz_validate -- --nocapture

# The Criterion benches (minutes); the optimizer's benches below take longer and run on their own.
bench: deps
	$(CARGO) bench --locked --bench validate --bench simulate

# The optimizer on the 17 NRP instances at budget ratios 0.3, 0.5, 0.7 (up to an hour or more on
# 2 cores). ONLY=nrp-e1@0.3 reruns some cases; TIME_LIMIT caps each solve (default 600 s);
# SEEDS=5 also times roadmap and HiGHS's own runs under 5 random seeds (the spread of the search path).
bench-nrp: deps
	ROADMAP_NRP_ONLY="$(ONLY)" $(if $(TIME_LIMIT),ROADMAP_NRP_TIME_LIMIT=$(TIME_LIMIT)) $(if $(SEEDS),ROADMAP_NRP_SEEDS=$(SEEDS)) $(CARGO) bench --locked --bench optimize_nrp

# The optimizer on generated portfolios: 1,000 features deterministic, 200 features stochastic.
bench-optimize: deps
	$(CARGO) bench --locked --bench optimize_scale

# Peak memory of `simulate` at 10,000 and 1,000,000 trials (GNU time's maximum resident set).
BENCH_OUT := out/bench
bench-memory: build
	@command -v /usr/bin/time >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq time >/dev/null; }
	@mkdir -p $(BENCH_OUT)
	@$(BIN) generate --features 100 --teams 4 --periods 4 --seed 7 -o $(BENCH_OUT)/gen-100.toml >/dev/null
	@$(BIN) generate --features 2000 --teams 10 --periods 8 --seed 7 -o $(BENCH_OUT)/gen-2000.toml >/dev/null
	@for s in $(FLAGSHIP) $(BENCH_OUT)/gen-100.toml $(BENCH_OUT)/gen-2000.toml; do \
	  for n in 10000 1000000; do \
	    /usr/bin/time -f "$$s, $$n trials: %M kB peak, %e s" $(BIN) simulate $$s --trials $$n --threads 2 >/dev/null 2>/tmp/roadmap-bench.err; \
	    tail -n 1 /tmp/roadmap-bench.err; \
	  done; \
	done
