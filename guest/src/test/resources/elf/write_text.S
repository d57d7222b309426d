// Stores into its own read-only, executable text: SIGSEGV SEGV_ACCERR.
    .global _start
_start:
    adr x1, _start
    str xzr, [x1]
    mov x8, #94
    svc #0
