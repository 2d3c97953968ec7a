# man: owned by its issue; see Makefile.am
