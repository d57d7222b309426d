/* atomics.c with gcc's default -moutline-atomics (see the file "cflags"). */
#include "atomics.c"
