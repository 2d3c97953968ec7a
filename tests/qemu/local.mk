# tests/qemu: owned by its issue; see Makefile.am
