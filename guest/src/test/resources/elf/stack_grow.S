// Touches the stack 1 MiB below the initial SP (the stack VMA grows down on the fault),
// then exits with the byte read back; with an argument, touches 16 MiB below instead,
// past RLIMIT_STACK: SIGSEGV.
    .global _start
_start:
    ldr x2, [sp]            // argc
    mov x1, sp
    sub x1, x1, #0x100000
    cmp x2, #1
    b.eq 1f
    sub x1, x1, #0xF00000
1:  mov x3, #42
    strb w3, [x1]
    ldrb w0, [x1]
    mov x8, #94
    svc #0
