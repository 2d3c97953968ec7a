/* The options that name the configuration's assets and the OCI bundle, parsed the same way by
 * create, run, qemu-args and config: --kernel, --initrd, --image, --firmware,
 * --hypervisor-path and --bundle (-b where a command lists "b:" in its short options). */
#ifndef VC_CMD_ASSET_OPTS_H
#define VC_CMD_ASSET_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include "config/load.h"

/* getopt_long values: one per asset kind, then the bundle. Commands number their own options
 * from 256 and must stay below VC_OPT_ASSET. */
enum {
	VC_OPT_BUNDLE = 'b',
	VC_OPT_ASSET = 0x1000, /* + enum vc_asset_kind */
};

/* The struct option entries, to put into a command's table (before its {NULL} end). */
/* clang-format off */
#define VC_ASSET_LONG_OPTIONS                                                                      \
	{"kernel", required_argument, NULL, VC_OPT_ASSET + VC_ASSET_KERNEL},                       \
	{"initrd", required_argument, NULL, VC_OPT_ASSET + VC_ASSET_INITRD},                       \
	{"image", required_argument, NULL, VC_OPT_ASSET + VC_ASSET_IMAGE},                         \
	{"firmware", required_argument, NULL, VC_OPT_ASSET + VC_ASSET_FIRMWARE},                   \
	{"hypervisor-path", required_argument, NULL, VC_OPT_ASSET + VC_ASSET_HYPERVISOR},          \
	{"bundle", required_argument, NULL, VC_OPT_BUNDLE}
/* clang-format on */

/* When c (a getopt_long result) is one of the options above, records arg in req (assets[] or
 * bundle) and returns true; otherwise returns false and leaves req alone. */
bool vc_cli_asset_option(int c, const char *arg, vc_config_request *req);

#endif
