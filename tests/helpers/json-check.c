/* json-check [--lines] FILE: exit 0 when FILE (or - for stdin) is one valid JSON text, or with
 * --lines when every non-empty line is a JSON object. For CLI tests; uses jansson. */
#include <config.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int check_lines(FILE *f)
{
	char line[65536];
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '\n')
			continue;
		json_error_t e;
		json_t *o = json_loads(line, 0, &e);
		if (!o || !json_is_object(o)) {
			fprintf(stderr, "json-check: line %d: %s\n", n + 1, o ? "not an object" : e.text);
			json_decref(o);
			return 1;
		}
		json_decref(o);
		n++;
	}
	return n > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int lines = argc > 1 && strcmp(argv[1], "--lines") == 0;
	const char *path = argv[argc - 1];
	if (argc < 2 || (lines && argc < 3)) {
		fputs("usage: json-check [--lines] FILE\n", stderr);
		return 2;
	}
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	if (lines)
		return check_lines(f);
	json_error_t e;
	json_t *j = json_loadf(f, 0, &e);
	if (!j) {
		fprintf(stderr, "json-check: %d:%d: %s\n", e.line, e.column, e.text);
		return 1;
	}
	json_decref(j);
	return 0;
}
