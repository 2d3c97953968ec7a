# Fault tests (issue [8/8]): SIGKILL at arbitrary moments of create, broken QEMUs. The named
# fault points and the full disk are in tests/lifecycle/mock-faults.sh and mock-fulldisk.sh.
# Each skips (exit 77) until the commands it drives exist.
TESTS += \
	tests/robust/kill-create.sh \
	tests/robust/fake-qemu.sh
EXTRA_DIST += $(filter tests/robust/%.sh,$(TESTS))

# fake-qemu: a QEMU that exits at start, never answers QMP, or answers garbage (by its name).
check_PROGRAMS += tests/helpers/fake-qemu
tests_helpers_fake_qemu_SOURCES = tests/helpers/fake-qemu.c

# `make check-valgrind` also runs the shell tests that drive vcrun with vcrun under valgrind
# (tests/helpers/vcrun-valgrind.sh as $VCRUN); their exit-status checks catch status 99. The
# lifecycle tests are not in the list yet: their waits (5 s) were written for native speed.
VALGRIND_SHELL_TESTS = $(filter tests/cli/%.sh tests/config/%.sh tests/qemu/qemu-args.sh \
	tests/robust/%.sh,$(TESTS))
EXTRA_DIST += tests/helpers/vcrun-valgrind.sh
# They run a dynamically linked vcrun: in a static binary valgrind cannot replace malloc, so it
# reports glibc's own start-up as uninitialised reads and cannot check leaks at all.
check_PROGRAMS += tests/helpers/vcrun-dynamic
tests_helpers_vcrun_dynamic_SOURCES = $(vcrun_SOURCES)
tests_helpers_vcrun_dynamic_LDADD = $(vcrun_LDADD)
check-valgrind: check-valgrind-cli
check-valgrind-cli: $(check_PROGRAMS)
	@failed=; for t in $(VALGRIND_SHELL_TESTS); do \
		: >"$$t.valgrind-errors.log"; \
		VCRUN='$(abs_srcdir)/tests/helpers/vcrun-valgrind.sh' \
		VCRUN_REAL='$(abs_top_builddir)/tests/helpers/vcrun-dynamic' \
		VCRUN_VALGRIND_LOG="$(abs_top_builddir)/$$t.valgrind-errors.log" \
		top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		VCRUN_FAULT_LIMIT=120 $(SHELL) $(srcdir)/$$t >$$t.valgrind.log 2>&1; rc=$$?; \
		case $$rc in 0) echo "PASS (valgrind): $$t";; 77) echo "SKIP (valgrind): $$t";; \
		*) echo "FAIL (valgrind): $$t (see $$t.valgrind.log and $$t.valgrind-errors.log)"; \
		   failed="$$failed $$t";; esac; \
	done; test -z "$$failed"
.PHONY: check-valgrind-cli
CLEANFILES += $(VALGRIND_SHELL_TESTS:.sh=.sh.valgrind.log) \
	$(VALGRIND_SHELL_TESTS:.sh=.sh.valgrind-errors.log)
