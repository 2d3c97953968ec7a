#!/bin/sh
# Installs the Debian 12 packages vcrun's build, tests and demo need. Idempotent and quiet:
# packages already present are skipped, so a second run does no network access.
# Usage: scripts/install-deps.sh [--check]   (--check: only list what is missing, exit 1 if any)
set -eu

PACKAGES="
build-essential autoconf automake libtool pkg-config
libyaml-dev libjansson-dev libseccomp-dev check
clang libclang-rt-14-dev clang-format
qemu-system-x86 busybox-static cpio kmod socat
mandoc runc python3 valgrind strace time
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ "${1:-}" = "--check" ]; then
	[ -z "$missing" ] && exit 0
	echo "missing:$missing"
	exit 1
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: these packages are missing and installing them needs root:$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
