# lib/host: owned by its issue; see Makefile.am
