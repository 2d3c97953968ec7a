# tests/config: owned by its issue; see Makefile.am
