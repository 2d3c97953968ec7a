#!/bin/sh
# Builds the vcrun test/demo guest from Debian packages only:
#   OUTDIR/vmlinuz        the Debian cloud kernel, extracted from its package (not installed)
#   OUTDIR/initramfs.img  a busybox-static initramfs with the virtio/SCSI modules and /init
# The kernel package is the one `apt-cache depends linux-image-cloud-amd64` names; it is
# downloaded once with `apt-get download` into OUTDIR/deb/ and reused afterwards.
# Usage: build-guest.sh [--force] [OUTDIR]     (OUTDIR defaults to ./guest)
# Nothing is rebuilt when both outputs exist and are newer than this script and the init file.
set -eu

force=0
if [ "${1:-}" = "--force" ]; then
	force=1
	shift
fi
OUTDIR=${1:-guest}
HERE=$(cd "$(dirname "$0")" && pwd)
INIT_SRC="$HERE/init"
BUSYBOX=${BUSYBOX:-/bin/busybox}
META=${VCRUN_GUEST_KERNEL_META:-linux-image-cloud-amd64}

die() {
	echo "build-guest: $*" >&2
	exit 1
}

need() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' not found (install the Debian package '$2')"
}

[ -f "$INIT_SRC" ] || die "missing $INIT_SRC"
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

uptodate() {
	for out in "$OUTDIR/vmlinuz" "$OUTDIR/initramfs.img"; do
		[ -s "$out" ] || return 1
		for src in "$0" "$INIT_SRC"; do
			[ "$out" -nt "$src" ] || return 1
		done
	done
	return 0
}

if [ "$force" -eq 0 ] && uptodate; then
	exit 0
fi
# Tests running in parallel may all ask for the guest: one builds, the others wait and reuse it.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$OUTDIR/.lock"
	flock 9
	if [ "$force" -eq 0 ] && uptodate; then
		exit 0
	fi
fi

need apt-get apt
need apt-cache apt
need dpkg dpkg
need depmod kmod
need modprobe kmod
need cpio cpio
need gzip gzip
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found (install the Debian package 'busybox-static')"
case "$(file -b "$BUSYBOX" 2>/dev/null || echo unknown)" in
*dynamically*) die "$BUSYBOX is dynamically linked (install 'busybox-static')" ;;
esac

# Resolve the versioned kernel package the meta package points at. Refresh the apt lists only
# when the meta package is unknown (fresh machine or lists removed).
resolve_kernel_pkg() {
	apt-cache depends "$META" 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-image-[^ ]*\).*/\1/p' | head -n 1
}
pkg=$(resolve_kernel_pkg)
if [ -z "$pkg" ]; then
	[ "$(id -u)" -eq 0 ] || die "apt does not know '$META' and refreshing its lists needs root"
	echo "build-guest: apt-get update (no package lists for $META)" >&2
	apt-get update -qq >/dev/null || die "apt-get update failed"
	pkg=$(resolve_kernel_pkg)
fi
[ -n "$pkg" ] || die "cannot resolve the kernel package behind '$META'"

DEBDIR="$OUTDIR/deb"
mkdir -p "$DEBDIR"
deb=$(ls "$DEBDIR/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	echo "build-guest: downloading $pkg" >&2
	# apt-get download writes into the current directory; a subshell keeps ours.
	(cd "$DEBDIR" && apt-get download -q "$pkg" >/dev/null 2>"$DEBDIR/download.log") ||
		die "apt-get download $pkg failed: $(tail -n 1 "$DEBDIR/download.log")"
	deb=$(ls "$DEBDIR/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)
	[ -n "$deb" ] || die "apt-get download $pkg produced no .deb"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vcrun-guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
KROOT="$WORK/kernel"
ROOT="$WORK/initramfs"
dpkg -x "$deb" "$KROOT"

kver=$(ls "$KROOT/lib/modules" 2>/dev/null | head -n 1)
[ -n "$kver" ] || die "$deb holds no lib/modules/<version>"
[ -f "$KROOT/boot/vmlinuz-$kver" ] || die "$deb holds no boot/vmlinuz-$kver"
depmod -b "$KROOT" "$kver"
# Hot-plugged drives reach the guest through ACPI PCI hotplug (vcrun's pci-bridges have SHPC
# off); that driver cannot be a module, so a kernel without it never sees them.
kconfig="$KROOT/boot/config-$kver"
if [ -f "$kconfig" ] && ! grep -qx 'CONFIG_HOTPLUG_PCI_ACPI=y' "$kconfig"; then
	echo "build-guest: kernel $kver lacks CONFIG_HOTPLUG_PCI_ACPI: hot-plugged virtio-blk drives will not appear in the guest" >&2
fi

# The modules /init loads, in dependency order, each once. Names missing from this kernel are
# skipped when optional (virtio_rng); "builtin" lines need nothing.
mkdir -p "$ROOT/lib/modules" "$ROOT/bin" "$ROOT/dev" "$ROOT/proc" "$ROOT/sys" "$ROOT/etc" \
	"$ROOT/run" "$ROOT/tmp"
: >"$WORK/order"
add_module() {
	modprobe -d "$KROOT" -S "$kver" --show-depends "$1" >"$WORK/deps" 2>/dev/null || return 1
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		name=$(basename "$path")
		grep -qx "$name" "$WORK/order" && continue
		case "$name" in
		*.ko) cp "$path" "$ROOT/lib/modules/$name" ;;
		*.ko.xz) xz -dc "$path" >"$ROOT/lib/modules/${name%.xz}" && name=${name%.xz} ;;
		*.ko.zst) zstd -qdc "$path" >"$ROOT/lib/modules/${name%.zst}" && name=${name%.zst} ;;
		*.ko.gz) gzip -dc "$path" >"$ROOT/lib/modules/${name%.gz}" && name=${name%.gz} ;;
		*) echo "build-guest: unexpected module file $path" >&2 && return 1 ;;
		esac
		echo "$name" >>"$WORK/order"
	done <"$WORK/deps"
}
for m in virtio_pci virtio_scsi sd_mod virtio_blk virtio_console; do
	add_module "$m" || die "kernel $kver has no module '$m'"
done
# Optional: entropy, and the ACPI power button with evdev so the guest obeys system_powerdown.
for m in virtio_rng button evdev; do
	add_module "$m" || echo "build-guest: kernel $kver has no module '$m' (skipped)" >&2
done
cp "$WORK/order" "$ROOT/lib/modules/order"

cp "$BUSYBOX" "$ROOT/bin/busybox"
ln -s busybox "$ROOT/bin/sh"
cp "$INIT_SRC" "$ROOT/init"
chmod 0755 "$ROOT/init" "$ROOT/bin/busybox"
echo "$kver" >"$ROOT/etc/vcrun-guest-kernel"
# Early console for the kernel's hand-over to /init; /init reopens it on devtmpfs anyway.
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 600 "$ROOT/dev/console" c 5 1
	mknod -m 666 "$ROOT/dev/null" c 1 3
fi

# Write both outputs under temporary names and rename: no half-written guest on failure.
# Fixed timestamps and cpio --reproducible: the same inputs give the same bytes.
find "$ROOT" -exec touch -h -d @0 {} +
(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -9n) \
	>"$OUTDIR/initramfs.img.tmp"
cp "$KROOT/boot/vmlinuz-$kver" "$OUTDIR/vmlinuz.tmp"
mv -f "$OUTDIR/vmlinuz.tmp" "$OUTDIR/vmlinuz"
mv -f "$OUTDIR/initramfs.img.tmp" "$OUTDIR/initramfs.img"
echo "$kver" >"$OUTDIR/kernel-version"
echo "build-guest: $OUTDIR/vmlinuz ($kver) and $OUTDIR/initramfs.img ($(wc -c <"$OUTDIR/initramfs.img") bytes, $(grep -c '' "$WORK/order") modules)" >&2
