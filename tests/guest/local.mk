# tests/guest: the test/demo guest (Debian cloud kernel + busybox initramfs) and its boot test.
# `make guest` builds $(GUEST_DIR)/vmlinuz and $(GUEST_DIR)/initramfs.img; override GUEST_DIR on
# the make command line to put them elsewhere. build-guest.sh itself decides whether anything is
# out of date, so the target is phony and cheap when nothing changed.
GUEST_DIR = $(abs_top_builddir)/guest

guest:
	$(SHELL) $(top_srcdir)/tests/guest/build-guest.sh $(GUEST_DIR)

guest-distclean:
	rm -rf $(abs_top_builddir)/guest

distclean-local: guest-distclean
.PHONY: guest guest-distclean

TESTS += tests/guest/boot.sh
EXTRA_DIST += tests/guest/build-guest.sh tests/guest/init tests/guest/boot.sh

# qmp-cmd: a command-line QMP client built on lib/qemu/qmp.c, for shell tests.
check_PROGRAMS += tests/helpers/qmp-cmd
tests_helpers_qmp_cmd_SOURCES = tests/helpers/qmp-cmd.c
tests_helpers_qmp_cmd_LDADD = $(VC_LIBS)

if HAVE_CHECK
tests_unit_unit_SOURCES += tests/unit/check_qmp.c
endif
