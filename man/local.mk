# Manual pages, written by hand in mdoc (checked by tests/cli/man.sh with mandoc -Tlint), and
# the bash completion, which reads commands and options from `vcrun help` when completing.
dist_man_MANS += man/vcrun.1 man/vcrun-config.5

# bash-completion loads completions/<command> on demand; the directory can be overridden with
# `make install bashcompletiondir=$(pkg-config --variable=completionsdir bash-completion)`.
bashcompletiondir = $(datadir)/bash-completion/completions
EXTRA_DIST += completion/vcrun.bash

install-data-local: install-bash-completion
uninstall-local: uninstall-bash-completion

install-bash-completion:
	$(MKDIR_P) '$(DESTDIR)$(bashcompletiondir)'
	$(INSTALL_DATA) '$(srcdir)/completion/vcrun.bash' '$(DESTDIR)$(bashcompletiondir)/vcrun'

uninstall-bash-completion:
	rm -f '$(DESTDIR)$(bashcompletiondir)/vcrun'

TESTS += tests/cli/man.sh tests/cli/completion.sh
EXTRA_DIST += tests/cli/man.sh tests/cli/completion.sh

.PHONY: install-bash-completion uninstall-bash-completion
