// Branches to an address that is not a multiple of 4: PC alignment fault (EC 0x22),
// SIGBUS BUS_ADRALN.
    .global _start
_start:
    adr x0, _start
    add x0, x0, #2
    br x0
