/*
 * Shared helpers for the file-system test programs (fs_*.c, fs2_*.c). Header
 * only: build.sh compiles each NAME.c on its own. Each program makes its
 * scratch directory with mkdtemp into dir and names its files with at().
 */
#ifndef FSTEST_H
#define FSTEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A call's result as the line prints it: the errno's name, or the value. */
static const char *err(long r)
{
    static char buf[8][32];
    static int next;
    if (r < 0) return strerrorname_np(errno);
    next = (next + 1) % 8;
    snprintf(buf[next], sizeof buf[next], "%ld", r);
    return buf[next];
}

/* The program's scratch directory. */
static char dir[64];

/* dir/name, in one of eight buffers used in turn (enough for the arguments of one call). */
static char *at(const char *name)
{
    static char p[8][128];
    static int next;
    next = (next + 1) % 8;
    snprintf(p[next], sizeof p[next], "%s/%s", dir, name);
    return p[next];
}

#endif
