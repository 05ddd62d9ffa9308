/* icc.c - embedded ICC profile to sRGB with LittleCMS.
 *
 * Runs on the decoded image, before area averaging: the mean of two
 * colours converted is not the conversion of their mean unless the
 * profile is linear, and for steep tone curves the difference is the
 * picture (fine text can vanish). CMYK is converted row by row as it is
 * decoded. The last profile's transform is kept: a camera's files all
 * carry the same profile, and building a transform costs more than
 * applying it to a DCT-scaled image. */
#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

#include "internal.h"

struct tf_icc {
    cmsContext cms;             /* per handle: LittleCMS has no globals then */
    cmsHTRANSFORM xform;        /* for the profile in `cached`, or NULL */
    cmsUInt32Number xform_type; /* its input: TYPE_RGB(A)_8, TYPE_CMYK_8(_REV) */
    tf_bytes cached;
    char why[128]; /* LittleCMS's last error text */
};

static void on_cms_error(cmsContext cms, cmsUInt32Number code, const char *text)
{
    struct tf_icc *icc = cmsGetContextUserData(cms);
    (void)code;
    snprintf(icc->why, sizeof icc->why, "%s", text);
}

void tf_icc_free(struct tf_icc *icc)
{
    if (!icc)
        return;
    if (icc->xform)
        cmsDeleteTransform(icc->xform);
    if (icc->cms)
        cmsDeleteContext(icc->cms);
    free(icc->cached.data);
    free(icc);
}

static struct tf_icc *icc_get(tf_ctx *ctx)
{
    if (ctx->icc)
        return ctx->icc;
    struct tf_icc *icc = calloc(1, sizeof *icc);
    if (!icc)
        return NULL;
    icc->cms = cmsCreateContext(NULL, icc);
    if (!icc->cms) {
        free(icc);
        return NULL;
    }
    cmsSetLogErrorHandlerTHR(icc->cms, on_cms_error);
    return ctx->icc = icc;
}

/* The output pixel type for an input type: RGB, alpha kept. */
static cmsUInt32Number out_type(cmsUInt32Number type)
{
    return type == TYPE_RGBA_8 ? TYPE_RGBA_8 : TYPE_RGB_8;
}

/* Builds the profile -> sRGB transform for pixels of `type`; NULL (with
 * icc->why) when the profile is unreadable or of another colour space. */
static cmsHTRANSFORM build(struct tf_icc *icc, const tf_bytes *profile, cmsUInt32Number type)
{
    icc->why[0] = '\0';
    cmsHPROFILE in =
        cmsOpenProfileFromMemTHR(icc->cms, profile->data, (cmsUInt32Number)profile->len);
    if (!in)
        return NULL;
    cmsHTRANSFORM x = NULL;
    int cmyk = T_COLORSPACE(type) == PT_CMYK;
    if (cmsGetColorSpace(in) != (cmyk ? cmsSigCmykData : cmsSigRgbData)) {
        snprintf(icc->why, sizeof icc->why, "not %s profile", cmyk ? "a CMYK" : "an RGB");
    } else {
        cmsHPROFILE srgb = cmsCreate_sRGBProfileTHR(icc->cms);
        if (srgb)
            x = cmsCreateTransformTHR(icc->cms, in, type, srgb, out_type(type),
                                      INTENT_RELATIVE_COLORIMETRIC,
                                      type == TYPE_RGBA_8 ? cmsFLAGS_COPY_ALPHA : 0);
        if (srgb)
            cmsCloseProfile(srgb);
    }
    cmsCloseProfile(in);
    return x;
}

static int same_profile(const struct tf_icc *icc, const tf_bytes *p, cmsUInt32Number type)
{
    return icc->xform && icc->xform_type == type && icc->cached.len == p->len &&
           memcmp(icc->cached.data, p->data, p->len) == 0;
}

static tf_status cache(tf_ctx *ctx, struct tf_icc *icc, cmsHTRANSFORM x, cmsUInt32Number type)
{
    if (icc->xform)
        cmsDeleteTransform(icc->xform);
    icc->xform = x;
    icc->xform_type = type;
    icc->cached.len = 0;
    tf_status st = tf_bytes_reserve(ctx, &icc->cached, ctx->profile.len);
    if (st == TF_OK) {
        memcpy(icc->cached.data, ctx->profile.data, ctx->profile.len);
        icc->cached.len = ctx->profile.len;
    }
    return st;
}

/* The IEC 61966-2.1 sRGB profile (HP's, which cameras, phones and editors
 * embed) announces itself in the header: an RGB display profile by device
 * manufacturer "IEC ", model "sRGB". Its pixels are sRGB already; building
 * a transform for it costs milliseconds per worker and changes nothing. */
static int is_srgb(const tf_bytes *p)
{
    return p->len >= 128 && memcmp(p->data + 12, "mntrRGB XYZ ", 12) == 0 &&
           memcmp(p->data + 48, "IEC sRGB", 8) == 0;
}

/* Makes icc->xform the transform of ctx->profile for `type`: 1 when it
 * is, 0 when the profile is dropped (with a note) or *st is an error. */
static int prepare(tf_ctx *ctx, cmsUInt32Number type, tf_status *st)
{
    struct tf_icc *icc = icc_get(ctx);
    *st = TF_OK;
    if (!icc) {
        *st = tf_fail(ctx, TF_E_NOMEM, "out of memory for colour management");
        return 0;
    }
    if (same_profile(icc, &ctx->profile, type))
        return 1;
    cmsHTRANSFORM x = build(icc, &ctx->profile, type);
    if (!x) {
        tf_note(ctx, "ICC profile dropped: %s", icc->why[0] ? icc->why : "unusable");
        return 0;
    }
    *st = cache(ctx, icc, x, type);
    return *st == TF_OK;
}

tf_status tf_icc_to_srgb(tf_ctx *ctx, tf_image *img)
{
    if (ctx->profile.len == 0 || ctx->profile_state != TF_PROFILE_PENDING)
        return TF_OK;
    if (is_srgb(&ctx->profile)) {
        tf_note(ctx, "ICC profile is sRGB: no conversion");
        return TF_OK;
    }
    if (img->channels < 3) { /* grey keeps its grey: no conversion */
        tf_note(ctx, "ICC profile ignored for a grey image");
        return TF_OK;
    }
    tf_status st;
    if (!prepare(ctx, img->channels == 4 ? TYPE_RGBA_8 : TYPE_RGB_8, &st))
        return st;
    cmsDoTransform(ctx->icc->xform, img->px, img->px,
                   (cmsUInt32Number)img->w * (cmsUInt32Number)img->h);
    ctx->profile_state = TF_PROFILE_APPLIED;
    tf_note(ctx, "ICC profile converted to sRGB");
    return TF_OK;
}

int tf_icc_cmyk_begin(tf_ctx *ctx, int inverted, tf_status *st)
{
    *st = TF_OK;
    if (ctx->profile.len == 0 || ctx->profile_state != TF_PROFILE_PENDING)
        return ctx->profile.len && ctx->profile_state == TF_PROFILE_APPLIED;
    if (!prepare(ctx, inverted ? TYPE_CMYK_8_REV : TYPE_CMYK_8, st)) {
        ctx->profile_state = TF_PROFILE_DROPPED;
        return 0;
    }
    ctx->profile_state = TF_PROFILE_APPLIED;
    tf_note(ctx, "ICC profile converted to sRGB");
    return 1;
}

void tf_icc_cmyk_row(tf_ctx *ctx, const unsigned char *cmyk, unsigned char *rgb, int w)
{
    cmsDoTransform(ctx->icc->xform, cmyk, rgb, (cmsUInt32Number)w);
}
