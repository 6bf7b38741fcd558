/* The SDK's one logger.
 *
 * Levels match the public HFLogLevel values. Each message is formatted into
 * one line of at most HF_LOG_LINE_MAX - 1 characters and written with a
 * single write() call, so lines from different threads never interleave.
 * Output goes to stderr (InspireFace prints to stdout; stderr keeps the
 * command-line tool's JSON output clean). Colours are used only when stderr
 * is a terminal. Unlike InspireFace, a FATAL message never aborts. */
#ifndef HF_BASE_LOG_H
#define HF_BASE_LOG_H

#include <stdarg.h>

enum {
    HF_LOG_LEVEL_NONE = 0,
    HF_LOG_LEVEL_DEBUG = 1,
    HF_LOG_LEVEL_INFO = 2,
    HF_LOG_LEVEL_WARN = 3,
    HF_LOG_LEVEL_ERROR = 4,
    HF_LOG_LEVEL_FATAL = 5,
};

#define HF_LOG_LINE_MAX 1024

/* Receives each finished line (no trailing newline). Tests install one to
 * capture output; NULL restores the default stderr writer. */
typedef void (*hf_log_sink)(int level, const char *line, void *user);

void hf_log_set_level(int level);
int hf_log_get_level(void);
void hf_log_set_sink(hf_log_sink sink, void *user);

/* Returns nonzero when a message at `level` would be emitted. */
int hf_log_enabled(int level);

#if defined(__GNUC__)
#define HF_PRINTF_LIKE(fmt_index, args_index) \
    __attribute__((format(printf, fmt_index, args_index)))
#else
#define HF_PRINTF_LIKE(fmt_index, args_index)
#endif

void hf_log_write(int level, const char *file, int line, const char *func,
                  const char *format, ...) HF_PRINTF_LIKE(5, 6);
void hf_log_vwrite(int level, const char *file, int line, const char *func,
                   const char *format, va_list args);

#define HF_LOGD(...) hf_log_write(HF_LOG_LEVEL_DEBUG, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define HF_LOGI(...) hf_log_write(HF_LOG_LEVEL_INFO, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define HF_LOGW(...) hf_log_write(HF_LOG_LEVEL_WARN, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define HF_LOGE(...) hf_log_write(HF_LOG_LEVEL_ERROR, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define HF_LOGF(...) hf_log_write(HF_LOG_LEVEL_FATAL, __FILE__, __LINE__, __func__, __VA_ARGS__)

#endif
