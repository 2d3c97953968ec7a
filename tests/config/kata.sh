#!/bin/sh
# The real Kata Containers files operators already have: `config show` accepts both.
. "$top_srcdir/tests/cli/lib.sh"
# Beside the clone (CI, /work/main) or beside the worktrees' folder (/work/wt/NAME).
dir=
for d in "$top_srcdir/../shared/kata-configs" "$top_srcdir/../../shared/kata-configs"; do
	[ -d "$d" ] && dir=$d && break
done
[ -n "$dir" ] || { echo "kata: ../shared/kata-configs absent, skipped"; exit 77; }
for f in configuration-2018.toml configuration-qemu-current.toml; do
	run "$VCRUN" --config "$dir/$f" config show
	expect_rc 0 "$f"
	expect_contains "$out" '"kernel": "/usr/share/kata-containers/vmlinux.container",'
	expect_contains "$out" '"image": "/usr/share/kata-containers/kata-containers.img",'
done
run "$VCRUN" --config "$dir/configuration-2018.toml" config show
expect_contains "$out" '"machine_type": "pc",'
run "$VCRUN" --debug --config "$dir/configuration-qemu-current.toml" config show
expect_contains "$out" '"shared_fs": "virtio-fs",'
expect_contains "$out" '"kernel_params": "cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1",'
expect_contains "$errout" "rootfs_type has no effect in vcrun"
expect_contains "$errout" "skipping [runtime]: not read by vcrun"
finish
