// Moves SP off its 16-byte alignment and loads through it: with SCTLR_EL1.SA0 set, as
// Linux sets it, that is an SP alignment fault (EC 0x26): SIGBUS BUS_ADRALN.
    .global _start
_start:
    mov x0, sp
    sub x0, x0, #8
    mov sp, x0
    ldr x1, [sp]
    mov x0, #0
    mov x8, #94
    svc #0
