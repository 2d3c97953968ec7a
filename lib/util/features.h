/* What this build supports, for `vcrun --version` and `vcrun features`. Each list is
 * NULL-terminated and owned by the library. Later parts of lib/ extend these lists where the
 * feature is implemented, so that features never claims what the build cannot do. */
#ifndef VC_UTIL_FEATURES_H
#define VC_UTIL_FEATURES_H

const char *const *vc_build_features(void);
const char *const *vc_features_hypervisors(void);
const char *const *vc_features_config_formats(void);
const char *const *vc_features_annotations(void);

#endif
