#!/bin/sh
# README command 2: install what is missing, build, run the whole test suite.
# Extra arguments go to configure (e.g. CFLAGS=... or --enable-werror).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -x configure ] || ./autogen.sh >/dev/null
[ -f Makefile ] || ./configure --enable-werror "$@" >/dev/null
make -j"$(nproc)" >/dev/null
make -j"$(nproc)" check
