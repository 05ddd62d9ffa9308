/* casefold.h - directories whose names are compared without regard to
 * case: on vfat and exFAT (the whole file system), in ext4 and f2fs
 * directories with the casefold attribute (chattr +F), on FUSE file systems
 * such as ciopfs, on SMB shares of most servers. "A.jpg" and "a.jpg" are
 * one file there, so two outputs whose names differ only in case clash
 * (plan.h), even before either exists. */
#ifndef THUMBIFY_CASEFOLD_H
#define THUMBIFY_CASEFOLD_H

/* Whether names in directory dir, or, when it does not exist yet, in the
 * directory it would be made in (its nearest existing ancestor: a new
 * directory inherits ext4's casefold attribute), are compared without
 * regard to case. Known by the casefold attribute, the file system's type
 * (vfat, exFAT), or else by looking a name up with its case swapped: the
 * first name with a letter in the directory, or in its parents on the
 * same file system. 0 where nothing tells. */
int casefold_dir(const char *dir);

/* s with its ASCII letters in lower case, in place. Names that differ in
 * the case of other letters are not caught: file systems fold those each
 * their own way (Unicode, a code page). */
void casefold_ascii(char *s);

#endif
