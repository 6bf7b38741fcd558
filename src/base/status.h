/* Internal status codes shared by every layer below src/api.
 *
 * Every fallible internal function returns hf_status and writes its results
 * through out-parameters only on success. src/api alone maps a status to the
 * public HERR_* codes. */
#ifndef HF_BASE_STATUS_H
#define HF_BASE_STATUS_H

#if defined(__GNUC__)
#define HF_MUST_CHECK __attribute__((warn_unused_result))
#else
#define HF_MUST_CHECK
#endif

/* X(name, message) */
#define HF_STATUS_TABLE(X)                                   \
    X(HF_OK, "success")                                      \
    X(HF_ERR_INVALID_ARG, "invalid argument")                \
    X(HF_ERR_NO_MEMORY, "out of memory")                     \
    X(HF_ERR_IO, "input/output error")                       \
    X(HF_ERR_FORMAT, "malformed or truncated data")          \
    X(HF_ERR_UNSUPPORTED, "unsupported feature or format")   \
    X(HF_ERR_NOT_FOUND, "not found")                         \
    X(HF_ERR_CHECKSUM, "checksum mismatch")                  \
    X(HF_ERR_RANGE, "value out of range")                    \
    X(HF_ERR_STATE, "invalid state for this operation")      \
    X(HF_ERR_EXISTS, "already exists")                       \
    X(HF_ERR_INTERNAL, "internal error")

typedef enum hf_status {
#define HF_STATUS_ENUM_ENTRY(name, message) name,
    HF_STATUS_TABLE(HF_STATUS_ENUM_ENTRY)
#undef HF_STATUS_ENUM_ENTRY
    HF_STATUS_COUNT
} hf_status;

/* Returns the enum name ("HF_ERR_FORMAT"); never NULL. */
const char *hf_status_name(hf_status status);

/* Returns a short lower-case description ("malformed or truncated data"). */
const char *hf_status_message(hf_status status);

#endif
