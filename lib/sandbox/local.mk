# lib/sandbox: owned by its issue; see Makefile.am
