#!/bin/sh
# README command 1: set everything up and run vcrun's main job on the shipped default config:
# build the test guest (Debian cloud kernel + busybox initramfs, Debian packages only) and boot it
# with `vcrun run` from config/configuration-qemu.toml, three drives attached, its console shown.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -x configure ] || ./autogen.sh >/dev/null
[ -f Makefile ] || ./configure >/dev/null
make -j"$(nproc)" >/dev/null
make guest >/dev/null
root=$(mktemp -d /tmp/vcrun-demo.XXXXXX)
trap 'rm -rf "$root"' EXIT
for i in 1 2 3; do
	truncate -s 16M "$root/disk$i.img"
done
set -x
./vcrun --version
./vcrun --root "$root/state" --config config/configuration-qemu.toml run \
	--kernel "$PWD/guest/vmlinuz" --initrd "$PWD/guest/initramfs.img" \
	--drive "$root/disk1.img" --drive "$root/disk2.img" --drive "$root/disk3.img" demo
