/* The process-wide launched pack behind HFLaunchInspireFace and friends.
 *
 * At most one pack is launched at a time. The launch state holds one
 * reference on it; every session takes its own with hf_launch_acquire, so a
 * terminate or reload never frees models a session still uses. All functions
 * are thread-safe. */
#ifndef HF_API_LAUNCH_H
#define HF_API_LAUNCH_H

#include "base/status.h"
#include "face/face.h"
#include "pack/pack.h"

/* Opens and verifies the pack at `path` and makes it the launched pack. When
 * a pack is already launched nothing changes and HF_OK is returned.
 * HF_ERR_INVALID_ARG for NULL, else hf_pack_open's status. */
HF_MUST_CHECK hf_status hf_launch_open(const char *path);

/* Drops the launched pack (if any) and launches `path`; on failure nothing
 * is launched afterwards. */
HF_MUST_CHECK hf_status hf_launch_reload(const char *path);

/* Drops the launched pack; does nothing when none is launched. */
void hf_launch_terminate(void);

/* Returns 1 while a pack is launched, else 0. */
int hf_launch_is_launched(void);

/* Takes a reference on the launched pack; release it with hf_pack_release.
 * HF_ERR_STATE when nothing is launched. */
HF_MUST_CHECK hf_status hf_launch_acquire(hf_pack **out);

/* Fills `spec` from the models and parameters of `pack`: the defaults of
 * hf_face_pack_spec_default, overridden by every value the manifest gives.
 * The spec points into the pack, so it is valid while the caller holds a
 * reference. HF_ERR_FORMAT when a parameter is out of range. */
HF_MUST_CHECK hf_status hf_launch_face_spec(const hf_pack *pack, hf_face_pack_spec *spec);

#endif
