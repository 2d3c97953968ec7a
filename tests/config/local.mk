# Configuration: the shipped defaults, shell tests of `vcrun config` and their fixtures.
dist_vcrunconfig_DATA += config/configuration-qemu.toml config/configuration-qemu.yaml
