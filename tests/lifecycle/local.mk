# tests/lifecycle: owned by its issue; see Makefile.am
