#!/bin/sh
# README command 1: set everything up and run vcrun's main job on the shipped default config.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -x configure ] || ./autogen.sh >/dev/null
[ -f Makefile ] || ./configure >/dev/null
make -j"$(nproc)" >/dev/null
root=$(mktemp -d /tmp/vcrun-demo.XXXXXX)
trap 'rm -rf "$root"' EXIT
set -x
./vcrun --version
./vcrun features
