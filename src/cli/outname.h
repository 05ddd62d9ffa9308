/* outname.h - which names are inputs, and the thumbnail's name: the
 * source's own name, with only the extension changed when the thumbnail's
 * format differs from what the name says. */
#ifndef THUMBIFY_OUTNAME_H
#define THUMBIFY_OUTNAME_H

#include <stddef.h>

#include "thumbify.h"

/* TF_FORMAT_JPEG for .jpg .jpeg .jpe .jfif, TF_FORMAT_PNG for .png (any
 * case), TF_FORMAT_SAME for anything else. */
tf_format outname_kind(const char *name);

/* Writes path into buf, its extension replaced by fmt's (".jpg"/".png"/".webp")
 * unless the name already says fmt; a name without an extension gets one.
 * TF_FORMAT_SAME copies path as it is. Returns 0, or -1 if buf is short. */
int outname_fix(char *buf, size_t cap, const char *path, tf_format fmt);

/* The format a thumbnail named `out` is encoded in under -F `asked`: asked,
 * or under -F same the format its name says; TF_FORMAT_SAME (the decoder's
 * choice) only for a name that promises no image format, which keeps its
 * name whatever is made. The name, not the content, decides, so that every
 * output path is known before any file is read (see plan.h). */
tf_format outname_format(const char *out, tf_format asked);

/* The thumbnail name that --name's template tmpl gives source path src:
 * %s its last component without the extension, %e "jpg" or "png" (asked,
 * or under -F same what src's name says; "jpg" when it says neither), %w
 * and %h the thumbnail's w and h, %% a '%'. tmpl is as options.c checked
 * it. malloc'd; NULL when memory runs out. */
char *outname_expand(const char *tmpl, const char *src, tf_format asked, int w, int h);

/* Whether tmpl names the thumbnail's size (%w or %h): then its name needs
 * the source's header (see jobs.c). */
int outname_has_size(const char *tmpl);

/* a "/" b, with no doubled slash when a ends in one; malloc'd, NULL when
 * memory runs out. */
char *outname_join(const char *a, const char *b);

/* dir "/" <src's last component, its extension per fmt as outname_fix
 * gives it>: a thumbnail's path without --name. malloc'd; NULL when
 * memory runs out. */
char *outname_in(const char *dir, const char *src, tf_format fmt);

/* The directory of one size of several (-s 200x200,800x600): path with
 * "WxH/" put in after its first root bytes (the output root), so that
 * root/a/b becomes root/200x200/a/b. malloc'd; NULL when memory runs out. */
char *outname_sized_dir(const char *path, size_t root, int w, int h);

/* The output root of a source directory without -o: dir/thumbs.
 * malloc'd; NULL when memory runs out. */
char *outname_thumbs_dir(const char *dir);

#endif
