# tests/bench: owned by its issue; see Makefile.am
