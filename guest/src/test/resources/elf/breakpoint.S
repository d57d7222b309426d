// BRK #0x3e8: SIGTRAP TRAP_BRKPT.
    .global _start
_start:
    brk #0x3e8
