// Reads SCTLR_EL1, an EL1 register, at EL0: UNDEFINED, so SIGILL ILL_ILLOPC.
    .global _start
_start:
    nop
    mrs x0, sctlr_el1
