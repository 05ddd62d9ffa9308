/* icc.c - embedded ICC profile to sRGB with LittleCMS.
 *
 * Runs on the thumbnail, after area averaging: a few thousand pixels rather
 * than the decoded image, and averaging first differs from converting first
 * by well under a level for smooth profiles. The last profile's transform
 * is kept: a camera's files all carry the same profile, and building a
 * transform costs far more than applying it to a thumbnail. */
#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

#include "internal.h"

struct tf_icc {
    cmsContext cms;             /* per handle: LittleCMS has no globals then */
    cmsHTRANSFORM xform;        /* for the profile in `cached`, or NULL */
    cmsUInt32Number xform_type; /* TYPE_RGB_8 or TYPE_RGBA_8 */
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

/* Builds the profile -> sRGB transform; NULL (with icc->why) when the
 * profile is unreadable or not an RGB profile. */
static cmsHTRANSFORM build(struct tf_icc *icc, const tf_bytes *profile, cmsUInt32Number type)
{
    icc->why[0] = '\0';
    cmsHPROFILE in =
        cmsOpenProfileFromMemTHR(icc->cms, profile->data, (cmsUInt32Number)profile->len);
    if (!in)
        return NULL;
    cmsHTRANSFORM x = NULL;
    if (cmsGetColorSpace(in) != cmsSigRgbData) {
        snprintf(icc->why, sizeof icc->why, "not an RGB profile");
    } else {
        cmsHPROFILE srgb = cmsCreate_sRGBProfileTHR(icc->cms);
        if (srgb)
            x = cmsCreateTransformTHR(icc->cms, in, type, srgb, type, INTENT_RELATIVE_COLORIMETRIC,
                                      cmsFLAGS_COPY_ALPHA);
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

tf_status tf_icc_to_srgb(tf_ctx *ctx, tf_image *img)
{
    if (ctx->profile.len == 0)
        return TF_OK;
    if (is_srgb(&ctx->profile)) {
        tf_note(ctx, "ICC profile is sRGB: no conversion");
        return TF_OK;
    }
    if (img->channels < 3) { /* grey keeps its grey: no conversion */
        tf_note(ctx, "ICC profile ignored for a grey image");
        return TF_OK;
    }
    struct tf_icc *icc = icc_get(ctx);
    if (!icc)
        return tf_fail(ctx, TF_E_NOMEM, "out of memory for colour management");
    cmsUInt32Number type = img->channels == 4 ? TYPE_RGBA_8 : TYPE_RGB_8;
    if (!same_profile(icc, &ctx->profile, type)) {
        cmsHTRANSFORM x = build(icc, &ctx->profile, type);
        if (!x) {
            tf_note(ctx, "ICC profile dropped: %s", icc->why[0] ? icc->why : "unusable");
            return TF_OK;
        }
        tf_status st = cache(ctx, icc, x, type);
        if (st != TF_OK)
            return st;
    }
    cmsDoTransform(icc->xform, img->px, img->px, (cmsUInt32Number)img->w * (cmsUInt32Number)img->h);
    tf_note(ctx, "ICC profile converted to sRGB");
    return TF_OK;
}
