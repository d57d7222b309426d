/* atomics.c built with -march=armv8.1-a: LSE atomics inline (see the file "cflags"). */
#include "atomics.c"
