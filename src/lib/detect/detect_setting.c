/* detect_setting.c: detector settings that say how they were derived.
 *
 * A detector reads each setting through these helpers with the value it derived
 * from the case (or a plain default, or a cost budget) and a sentence saying how;
 * a value the user set wins. Either way the value used and its origin go to the
 * run record (ctx->setting), so an analyst can see what every gate was. */
#include <stdarg.h>
#include "detect_internal.h"

/* 1 when the user set prefix.name (a config file or --set). */
static int user_set(const iffnet_detect_ctx_t *ctx, const char *key)
{
    return ctx->cfg && iffnet_config_str(ctx->cfg, key, NULL) != NULL;
}

static void record(const iffnet_detect_ctx_t *ctx, const char *key, const char *value, const char *how, int set)
{
    if (ctx->setting) ctx->setting(ctx->setting_arg, key, value, set ? "set" : how ? how : "default");
}

void iffnet_i_duration_text(char *buf, size_t size, int64_t secs)
{
    if (secs % 86400 == 0) snprintf(buf, size, "%lldd", (long long)(secs / 86400));
    else if (secs % 3600 == 0) snprintf(buf, size, "%lldh", (long long)(secs / 3600));
    else snprintf(buf, size, "%lld", (long long)secs);
}

int iffnet_i_det_int(const iffnet_detect_ctx_t *ctx, const char *prefix, const char *name, int64_t def,
                     int64_t lo, int64_t hi, const char *how, int64_t *out)
{
    char key[128], v[32];
    snprintf(key, sizeof key, "%s.%s", prefix, name);
    if (def < lo) def = lo;
    if (def > hi) def = hi;
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, prefix, name, def, lo, hi, out));
    snprintf(v, sizeof v, "%lld", (long long)*out);
    record(ctx, key, v, how, user_set(ctx, key));
    return IFFNET_OK;
}

int iffnet_i_det_double(const iffnet_detect_ctx_t *ctx, const char *prefix, const char *name, double def,
                        double lo, double hi, const char *how, double *out)
{
    char key[128], v[32];
    snprintf(key, sizeof key, "%s.%s", prefix, name);
    if (def < lo) def = lo;
    if (def > hi) def = hi;
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, prefix, name, def, lo, hi, out));
    snprintf(v, sizeof v, "%.6g", *out);
    record(ctx, key, v, how, user_set(ctx, key));
    return IFFNET_OK;
}

int iffnet_i_det_duration(const iffnet_detect_ctx_t *ctx, const char *prefix, const char *name, int64_t def,
                          const char *how, int64_t *out)
{
    char key[128], v[32];
    snprintf(key, sizeof key, "%s.%s", prefix, name);
    if (def <= 0) def = 1;
    IFFNET_TRY(iffnet_i_setting_duration(ctx->cfg, prefix, name, def, out));
    iffnet_i_duration_text(v, sizeof v, *out);
    record(ctx, key, v, how, user_set(ctx, key));
    return IFFNET_OK;
}

int iffnet_i_det_money(const iffnet_detect_ctx_t *ctx, const char *prefix, const char *name, iffnet_money_t def,
                       int scale, const char *how, iffnet_money_t *out)
{
    char key[128], v[64];
    snprintf(key, sizeof key, "%s.%s", prefix, name);
    IFFNET_TRY(iffnet_i_setting_money(ctx->cfg, prefix, name, def, scale, out));
    iffnet_amount_format(v, sizeof v, *out, scale, 0);
    record(ctx, key, v, how, user_set(ctx, key));
    return IFFNET_OK;
}

void iffnet_i_budget(const iffnet_detect_ctx_t *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (ctx->budget) ctx->budget(ctx->budget_arg, "%s", buf);
    else if (ctx->note) ctx->note(ctx->note_arg, "%s", buf);
}
