/* Start-up probe: prints the realtime clock as the program's first act, so
 * that bench/run can subtract the moment it started the process and get the
 * time from exec to the first guest instruction (within a handful).
 *   startup realtime_ns=NANOSECONDS_SINCE_EPOCH */
#include "nolibc.h"

void cmain(u64 *sp) {
    (void) sp;
    s64 t = clock_ns(CLOCK_REALTIME);
    puts_("startup realtime_ns=");
    putnum((u64) t);
    puts_("\n");
    bench_exit(0);
}
