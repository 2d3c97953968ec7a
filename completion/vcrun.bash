# bash completion for vcrun                                        -*- shell-script -*-
#
# Nothing here is a copy of vcrun's command table: the commands, the global options and the
# options of each command are read from `vcrun help` and `vcrun help COMMAND` when completing,
# so a new command or option completes as soon as the binary knows it. Sandbox ids come from
# `vcrun list` (when this build has that command), honouring a --root given on the line.

# _vcrun_bin: the vcrun being completed (the word typed, when it names an executable).
_vcrun_bin()
{
	local b=${COMP_WORDS[0]}
	if [[ $b == */* && -x $b ]] || type -P -- "$b" >/dev/null 2>&1; then
		printf '%s\n' "$b"
	else
		printf 'vcrun\n'
	fi
}

# _vcrun_commands BIN: command names, from the "Commands:" list of `vcrun help`.
_vcrun_commands()
{
	"$1" help 2>/dev/null | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }'
}

# _vcrun_global_options BIN: the long options of the "Global options:" list.
_vcrun_global_options()
{
	"$1" help 2>/dev/null | awk '/^Global options:/ { on = 1; next } on && /^$/ { on = 0 }
		on { for (i = 1; i <= NF && $i ~ /^-/; i++) if ($i ~ /^--[a-z]/) { sub(/[,=].*/, "", $i); print $i } }'
}

# _vcrun_command_options BIN CMD: every --option named in the help text of CMD.
_vcrun_command_options()
{
	"$1" help "$2" 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

# _vcrun_subcommands BIN CMD: the words W of usage lines "vcrun CMD W ..." (config validate).
_vcrun_subcommands()
{
	"$1" help "$2" 2>/dev/null | awk -v cmd="$2" '{ for (i = 1; i < NF; i++)
		if ($i == "vcrun" && $(i + 1) == cmd && $(i + 2) ~ /^[a-z][a-z-]*$/) print $(i + 2) }' | sort -u
}

# _vcrun_ids BIN [ROOT]: ids of the sandboxes in the state directory, if `list` exists.
_vcrun_ids()
{
	local bin=$1 root=$2
	_vcrun_commands "$bin" | grep -qx list || return 0
	local -a args=()
	[[ -n $root ]] && args=(--root "$root")
	# The table's first column is the id; its header line starts with "ID".
	"$bin" "${args[@]}" list 2>/dev/null | awk 'NR == 1 && $1 == "ID" { next } NF { print $1 }'
}

_vcrun()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=""
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bin
	bin=$(_vcrun_bin)
	COMPREPLY=()

	# Find the command: the first word after the global options (skipping their values).
	local i=1 cmd="" cmd_at=0 root=""
	while ((i < COMP_CWORD)); do
		local w=${COMP_WORDS[i]}
		case $w in
		--root) root=${COMP_WORDS[i + 1]}; ((i += 2)); continue ;;
		--root=*) root=${w#--root=} ;;
		--config | --hypervisor | --log | --log-format | --log-level | --rootless) ((i += 2)); continue ;;
		-*) ;;
		*) cmd=$w; cmd_at=$i; break ;;
		esac
		((i++))
	done

	# Values of options, global or not.
	case $prev in
	--log-format) mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur"); return ;;
	--log-level) mapfile -t COMPREPLY < <(compgen -W "error warning info debug" -- "$cur"); return ;;
	--hypervisor) mapfile -t COMPREPLY < <(compgen -W "qemu mock" -- "$cur"); return ;;
	--rootless) mapfile -t COMPREPLY < <(compgen -W "true false auto" -- "$cur"); return ;;
	--root | --bundle | --host-root) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
	--config | --log | --pid-file | --kernel | --initrd | --image | --firmware | --hypervisor-path | --console-socket | --qemu)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--format)
		local formats
		formats=$("$bin" help "$cmd" 2>/dev/null | grep -o -w -E 'json|toml|yaml|table' | sort -u)
		mapfile -t COMPREPLY < <(compgen -W "$formats" -- "$cur")
		return
		;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_vcrun_global_options "$bin")" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_vcrun_commands "$bin")" -- "$cur")
		fi
		return
	fi

	if [[ $cmd == help ]]; then
		((COMP_CWORD == cmd_at + 1)) &&
			mapfile -t COMPREPLY < <(compgen -W "$(_vcrun_commands "$bin")" -- "$cur")
		return
	fi

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_vcrun_command_options "$bin" "$cmd")" -- "$cur")
		return
	fi

	# A command with subcommands (config validate|show, device add|remove|list) takes one first.
	local subs
	subs=$(_vcrun_subcommands "$bin" "$cmd")
	if [[ -n $subs ]] && ((COMP_CWORD == cmd_at + 1)); then
		mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
		return
	fi

	# Otherwise: a sandbox id, when the command's usage names one.
	if "$bin" help "$cmd" 2>/dev/null | grep -qw ID; then
		mapfile -t COMPREPLY < <(compgen -W "$(_vcrun_ids "$bin" "$root")" -- "$cur")
	fi
}

complete -F _vcrun vcrun
