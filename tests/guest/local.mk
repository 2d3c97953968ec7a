# tests/guest: owned by its issue; see Makefile.am
