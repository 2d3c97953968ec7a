# tests/fuzz: owned by its issue; see Makefile.am
