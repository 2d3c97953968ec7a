# tests/security: owned by its issue; see Makefile.am
