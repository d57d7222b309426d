// Loads from 0x1000, below mmap_min_addr where nothing can be mapped: SIGSEGV SEGV_MAPERR.
    .global _start
_start:
    mov x1, #0x1000
    ldr x0, [x1]
    mov x8, #94
    svc #0
