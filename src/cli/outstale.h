/* outstale.h - removing the temp files that killed or crashed runs left
 * (see outfile.h). Another run may be writing into the same directory at
 * this moment: from another container, whose process IDs mean nothing
 * here, or from another host. A temp file is removed only when it is
 * provably dead: no process holds its flock, and it was last written more
 * than OUTSTALE_SECONDS ago. The lock alone is no proof where a file
 * system keeps locks per host (some cluster file systems do); the age
 * alone is none where the writer was stopped (SIGSTOP, a suspended job),
 * and the margin absorbs clocks of hosts that differ a little. */
#ifndef THUMBIFY_OUTSTALE_H
#define THUMBIFY_OUTSTALE_H

#define OUTSTALE_SECONDS 600

/* Removes the dead temp files in the directory open as dirfd: those named
 * ".thumbify-<16 hex digits>.tmp", and ".thumbify-PID-N.tmp" from earlier
 * versions. Anything else is left alone. */
void outstale_remove(int dirfd);

#endif
