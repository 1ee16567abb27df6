/* error.c: error messages and the handlers that keep dependencies quiet. */
#include <glpk.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <setjmp.h>
#include <stdio.h>
#include "core_internal.h"
#include <config.h>

static _Thread_local char errmsg[2048];

const char *iffnet_strerror(iffnet_err_t err)
{
    switch (err) {
    case IFFNET_OK: return "success";
    case IFFNET_ENOMEM: return "out of memory";
    case IFFNET_EIO: return "input/output error";
    case IFFNET_EDATA: return "invalid data";
    case IFFNET_EINVAL: return "invalid argument";
    case IFFNET_ECORRUPT: return "corrupted case file";
    case IFFNET_ELIMIT: return "limit exceeded";
    case IFFNET_ESOLVER: return "solver failure";
    case IFFNET_EINTERNAL: return "internal error";
    }
    return "unknown error";
}

const char *iffnet_errmsg(void)
{
    return errmsg;
}

void iffnet_errmsg_clear(void)
{
    errmsg[0] = '\0';
}

int iffnet_i_money_overflow(const char *what)
{
    return iffnet_i_seterr(IFFNET_ELIMIT, "%s: the amounts add up to more than 64 bits of minor units can hold "
                           "(9223372036854775807); iffnet refuses to show a wrapped total", what);
}

int iffnet_i_seterr(int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errmsg, sizeof errmsg, fmt, ap);
    va_end(ap);
    return err;
}

static int max_threads = 2;

void iffnet_set_threads(int n)
{
    max_threads = n < 1 ? 1 : n;
}

int iffnet_i_threads_allowed(void)
{
    return max_threads > 1;
}

int iffnet_i_reserve(void **p, int64_t *cap, int64_t need, size_t elem)
{
    if (need <= *cap) return IFFNET_OK;
    int64_t ncap = *cap ? *cap : 16;
    while (ncap < need) ncap *= 2;
    void *q = realloc(*p, (size_t)ncap * elem);
    if (!q) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (%lld items of %zu bytes)",
                                   (long long)ncap, elem);
    *p = q;
    *cap = ncap;
    return IFFNET_OK;
}

char *iffnet_i_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

char *iffnet_i_vasprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *iffnet_i_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* igraph's last message, kept by our handler so iffnet_i_igraph_err() can quote it. */
static _Thread_local char igraph_reason[512];

static void igraph_quiet_handler(const char *reason, const char *file, int line, igraph_error_t err)
{
    (void)file; (void)line; (void)err;
    snprintf(igraph_reason, sizeof igraph_reason, "%s", reason ? reason : "");
    /* igraph expects the handler to free what the FINALLY stack holds. */
    IGRAPH_FINALLY_FREE();
}

static void igraph_quiet_warning(const char *reason, const char *file, int line)
{
    (void)reason; (void)file; (void)line;
}

int iffnet_i_igraph_err(igraph_error_t e, const char *what)
{
    if (e == IGRAPH_SUCCESS) return IFFNET_OK;
    if (e == IGRAPH_ENOMEM)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in %s", what);
    return iffnet_i_seterr(IFFNET_ESOLVER, "%s failed: %s%s%s", what, igraph_strerror(e),
                           igraph_reason[0] ? ": " : "", igraph_reason);
}

static int glpk_quiet_output(void *info, const char *s)
{
    (void)info; (void)s;
    return 1; /* non-zero: GLPK writes nothing */
}

/* GLPK's fatal errors (bad arguments, no memory) abort the process unless the
 * error hook jumps away; after the jump GLPK's environment must be freed and set
 * up again, which invalidates every GLPK object, so the guard is kept around
 * whole solver calls that own all their GLPK objects. */
static _Thread_local jmp_buf *glpk_jump;

static void glpk_fatal(void *info)
{
    (void)info;
    if (glpk_jump) longjmp(*glpk_jump, 1);
}

static void glpk_quiet(void)
{
    glp_term_out(GLP_OFF);
    glp_term_hook(glpk_quiet_output, NULL);
}

int iffnet_i_glpk_call(int (*fn)(void *), void *arg, const char *what)
{
    jmp_buf here;
    jmp_buf *saved = glpk_jump;
    glpk_jump = &here;
    glp_error_hook(glpk_fatal, NULL);
    if (setjmp(here)) {
        glpk_jump = saved;
        glp_free_env();
        glpk_quiet();
        return iffnet_i_seterr(IFFNET_ESOLVER, "GLPK stopped with an internal error in %s (out of memory?)", what);
    }
    int ret = fn(arg);
    glpk_jump = saved;
    glp_error_hook(NULL, NULL);
    return ret;
}

void iffnet_init_libraries(unsigned long seed)
{
    igraph_set_error_handler(igraph_quiet_handler);
    igraph_set_warning_handler(igraph_quiet_warning);
    gsl_set_error_handler_off();
    glpk_quiet();
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
}

const char *iffnet_version(void)
{
    return PACKAGE_VERSION;
}

void iffnet_print_versions(FILE *out)
{
    const char *iv;
    int maj, min, pat;
    igraph_version(&iv, &maj, &min, &pat);
    fprintf(out, "iffnet %s\n", PACKAGE_VERSION);
    fprintf(out, "Using igraph %s, GSL %s, GLPK %s\n", iv, gsl_version, glp_version());
}

const char *iffnet_i_tmpf(const char *fmt, ...)
{
    static _Thread_local char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}
