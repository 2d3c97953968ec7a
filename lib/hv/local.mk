# lib/hv: owned by its issue; see Makefile.am
