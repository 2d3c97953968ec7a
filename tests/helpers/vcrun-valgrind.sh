#!/bin/sh
# Runs vcrun under valgrind: the shell tests use it as $VCRUN in `make check-valgrind`. A memory
# error or a definite leak makes the exit status 99, which no test expects.
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --track-fds=no "${VCRUN_REAL:-$top_builddir/vcrun}" "$@"
