# tests/toml: owned by its issue; see Makefile.am
