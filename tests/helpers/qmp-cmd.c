/* qmp-cmd [--timeout MS] [--event NAME] SOCKET COMMAND [JSON-ARGS]
 * Connects to a QMP socket with vcrun's client, runs COMMAND (arguments: a JSON object) and
 * prints the "return" value as one JSON line. With --event it then waits for the event NAME and
 * prints it as a second line. `quit` succeeds on a reply or EOF. Exit 0 on success, 1 on any
 * error (one line on stderr, e.g. "qmp-cmd: qmp 'device_add': GenericError: ..."), 2 on usage. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu/qmp.h"
#include "util/error.h"

static int failed(vc_error *err)
{
	char *msg = vc_error_format(err);
	fprintf(stderr, "qmp-cmd: %s\n", msg);
	free(msg);
	vc_error_free(err);
	return 1;
}

static void print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY);
	puts(s ? s : "null");
	free(s);
}

int main(int argc, char **argv)
{
	int timeout = 10000;
	const char *event = NULL;
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--timeout") == 0)
			timeout = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--event") == 0)
			event = argv[i + 1];
		else
			break;
	}
	if (argc - i < 2 || argc - i > 3) {
		fputs("usage: qmp-cmd [--timeout MS] [--event NAME] SOCKET COMMAND [JSON-ARGS]\n",
		      stderr);
		return 2;
	}
	const char *sock = argv[i], *command = argv[i + 1];
	json_t *args = NULL;
	if (argc - i == 3) {
		json_error_t jerr;
		args = json_loads(argv[i + 2], 0, &jerr);
		if (!json_is_object(args)) {
			fprintf(stderr, "qmp-cmd: arguments: %s\n",
				args ? "not a JSON object" : jerr.text);
			json_decref(args);
			return 2;
		}
	}

	vc_error *err = NULL;
	vc_qmp *q = vc_qmp_connect(sock, timeout, &err);
	if (!q) {
		json_decref(args);
		return failed(err);
	}
	int rc = 0;
	if (strcmp(command, "quit") == 0 && !args) {
		if (vc_qmp_quit(q, timeout, &err) < 0)
			rc = failed(err);
		else
			puts("{}");
	} else {
		json_t *ret = vc_qmp_execute(q, command, args, timeout, &err);
		if (!ret) {
			rc = failed(err);
		} else {
			print_json(ret);
			json_decref(ret);
		}
	}
	if (rc == 0 && event) {
		err = NULL;
		json_t *ev = vc_qmp_wait_event(q, event, NULL, NULL, timeout, &err);
		if (!ev) {
			rc = failed(err);
		} else {
			print_json(ev);
			json_decref(ev);
		}
	}
	vc_qmp_close(q);
	return rc;
}
