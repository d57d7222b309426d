// Executes the permanently undefined encoding 0x00000000: SIGILL ILL_ILLOPC.
    .global _start
_start:
    nop
    .word 0
