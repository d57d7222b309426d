// Installs a SIGSEGV handler with rt_sigaction, then loads from 0x1000 (unmapped): the
// handler runs and exits with status 1.
    .global _start
    .text
_start:
    mov x0, #11             // SIGSEGV
    adr x1, act
    mov x2, #0
    mov x3, #8              // sizeof(sigset_t)
    mov x8, #134            // rt_sigaction
    svc #0
    mov x1, #0x1000
    ldr x0, [x1]
handler:
    mov x0, #1
    mov x8, #94
    svc #0
    .data
    .balign 8
act: .quad handler, 0, 0, 0
