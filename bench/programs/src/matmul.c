/* Speed benchmark: integer matrix multiply, C = A x B of 192 x 192 32-bit
 * matrices (wrapping arithmetic), i-k-j order so that the inner loop streams
 * rows of B and C; gcc vectorises it at -O2. Prints "matmul checksum=...
 * ns=..." (bench/run --only speed). */
#include "nolibc.h"

#define M 192
#define ROUNDS 12

static u32 a[M][M], b[M][M], c[M][M];

void cmain(u64 *sp) {
    (void) sp;
    u64 seed = 7;
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < M; j++) {
            a[i][j] = (u32) rng_next(&seed) & 0xFFFF;
            b[i][j] = (u32) rng_next(&seed) & 0xFFFF;
        }
    }
    s64 t0 = now_ns();
    u64 check = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) c[i][j] = 0;
            for (int k = 0; k < M; k++) {
                u32 aik = a[i][k] + (u32) r;
                for (int j = 0; j < M; j++) c[i][j] += aik * b[k][j];
            }
        }
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) check = (check ^ c[i][j]) * 0x100000001B3UL;
        }
    }
    s64 t1 = now_ns();
    report("matmul", check, t1 - t0);
    bench_exit(0);
}
