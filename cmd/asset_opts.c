/* The asset and bundle options shared by create, run, qemu-args and config. */
#include <config.h>
#include "asset_opts.h"

bool vc_cli_asset_option(int c, const char *arg, vc_config_request *req)
{
	if (c == VC_OPT_BUNDLE) {
		req->bundle = arg;
		return true;
	}
	if (c >= VC_OPT_ASSET && c < VC_OPT_ASSET + VC_ASSET_COUNT) {
		req->assets[c - VC_OPT_ASSET] = arg;
		return true;
	}
	return false;
}
