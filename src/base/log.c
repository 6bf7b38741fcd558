#include "base/log.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* InspireFace starts at INFO even though its header says DEBUG. */
static atomic_int log_level = HF_LOG_LEVEL_INFO;
static hf_log_sink _Atomic log_sink;
static void *_Atomic log_sink_user;

void hf_log_set_level(int level)
{
    if (level < HF_LOG_LEVEL_NONE)
        level = HF_LOG_LEVEL_NONE;
    if (level > HF_LOG_LEVEL_FATAL)
        level = HF_LOG_LEVEL_FATAL;
    atomic_store(&log_level, level);
}

int hf_log_get_level(void)
{
    return atomic_load(&log_level);
}

void hf_log_set_sink(hf_log_sink sink, void *user)
{
    atomic_store(&log_sink_user, user);
    atomic_store(&log_sink, sink);
}

int hf_log_enabled(int level)
{
    int threshold = atomic_load(&log_level);
    return level > HF_LOG_LEVEL_NONE && threshold != HF_LOG_LEVEL_NONE &&
           level >= threshold && level <= HF_LOG_LEVEL_FATAL;
}

static const char *level_tag(int level)
{
    switch (level) {
    case HF_LOG_LEVEL_DEBUG: return "debug";
    case HF_LOG_LEVEL_INFO: return "info";
    case HF_LOG_LEVEL_WARN: return "warning";
    case HF_LOG_LEVEL_ERROR: return "error";
    default: return "fatal";
    }
}

static void write_to_stderr(int level, const char *line)
{
    char out[HF_LOG_LINE_MAX + 64];
    int colour = isatty(STDERR_FILENO);
    const char *start = "";
    const char *end = "";

    if (colour && level == HF_LOG_LEVEL_WARN) {
        start = "\033[33m";
        end = "\033[0m";
    } else if (colour && level >= HF_LOG_LEVEL_ERROR) {
        start = "\033[31m";
        end = "\033[0m";
    }
    int n = snprintf(out, sizeof out, "%sinspireface %s: %s%s\n", start, level_tag(level),
                     line, end);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof out) {
        n = (int)sizeof out - 1;
        out[n - 1] = '\n';
    }
    /* One write per line keeps concurrent lines whole; a short write is not retried. */
    ssize_t ignored = write(STDERR_FILENO, out, (size_t)n);
    (void)ignored;
}

void hf_log_vwrite(int level, const char *file, int line, const char *func,
                   const char *format, va_list args)
{
    char text[HF_LOG_LINE_MAX];
    size_t used = 0;

    if (!hf_log_enabled(level))
        return;
    if (level == HF_LOG_LEVEL_DEBUG && file != NULL) {
        const char *base = strrchr(file, '/');
        int n = snprintf(text, sizeof text, "[%s][%s][%d]: ", base ? base + 1 : file,
                         func ? func : "?", line);
        if (n > 0)
            used = (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    }
    vsnprintf(text + used, sizeof text - used, format ? format : "", args);

    /* Keep each message on one line. */
    for (char *p = text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';

    hf_log_sink sink = atomic_load(&log_sink);
    if (sink)
        sink(level, text, atomic_load(&log_sink_user));
    else
        write_to_stderr(level, text);
}

void hf_log_write(int level, const char *file, int line, const char *func,
                  const char *format, ...)
{
    va_list args;
    va_start(args, format);
    hf_log_vwrite(level, file, line, func, format, args);
    va_end(args);
}
