#!/bin/sh
# Runs vcrun under valgrind: the shell tests use it as $VCRUN in `make check-valgrind`. A memory
# error or a definite leak makes the exit status 99, which no test expects. valgrind's own
# messages go to $VCRUN_VALGRIND_LOG (appended; default /dev/stderr), not to vcrun's stderr:
# the tests count vcrun's error lines, and valgrind warns on stderr about system calls it does
# not model (seccomp, in the child that sets up the hypervisor's filter).
log=${VCRUN_VALGRIND_LOG:-/dev/stderr}
exec 9>>"$log"
exec valgrind --quiet --log-fd=9 --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no \
	"${VCRUN_REAL:-$top_builddir/vcrun}" "$@"
