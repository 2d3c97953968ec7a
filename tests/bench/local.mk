# Benchmarks: run on demand (`make bench-toml`), never part of `make check`.
EXTRA_DIST += tests/bench/toml-bench.sh

bench-toml: tests/toml-decoder tests/toml/toml-compare
	top_builddir='$(abs_top_builddir)' $(SHELL) $(srcdir)/tests/bench/toml-bench.sh

.PHONY: bench-toml
