// Grows the heap by 32 MiB with brk and writes to every page of it, then exits with 0.
// In 16 MiB of RAM the frames run out part way: the kernel kills it (SIGKILL).
    .global _start
_start:
    mov x0, #0
    mov x8, #214
    svc #0
    mov x19, x0
    mov x1, #0x2000000
    add x0, x19, x1
    mov x8, #214
    svc #0
    mov x20, x0
    mov x1, x19
1:  str x1, [x1]
    add x1, x1, #4096
    cmp x1, x20
    b.lo 1b
    mov x0, #0
    mov x8, #94
    svc #0
