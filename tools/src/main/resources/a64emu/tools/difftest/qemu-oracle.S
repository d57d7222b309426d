// The qemu-aarch64 oracle's register shuttle (see QemuOracle.java). run_case loads
// the whole architectural state of a case record and branches to the case's slot in
// the scratch window; the slot's trampoline loads X30, executes the instruction under
// test and branches to store_state, which writes the state into the output record and
// returns to run_case's caller.
//
// Record layout (little-endian 64-bit words): x0-x30 at 0, then as below; v0-v31 low
// half first; word 800 and pc 808 are not read here.
        .equ    REC_SP, 248
        .equ    REC_NZCV, 256
        .equ    REC_FPCR, 264
        .equ    REC_FPSR, 272
        .equ    REC_TPIDR, 280
        .equ    REC_V, 288
        .equ    REC_SLOT, 816

// The C code's callee-saved state (AAPCS64: x19-x30 at 0, d8-d15) and what a case replaces
// wait in `saved`, with the output record's address.
        .equ    SAVED_SP, 96
        .equ    SAVED_TPIDR, 104
        .equ    SAVED_FPCR, 112
        .equ    SAVED_D8, 120
        .equ    SAVED_OUT, 184
        .equ    SAVED_SIZE, 192

        .altmacro
// \op (ldp or stp) of \r\first to \r\last two at a time, at [\base, #\offset] on.
        .macro  pairs op, r, first, last, base, offset
        pair    \op, \r, \first, %(\first+1), \base, \offset
        .if     \last-\first-1
        pairs   \op, \r, %(\first+2), \last, \base, %(\offset+16)
        .endif
        .endm
        .macro  pair op, r, a, b, base, offset
        \op     \r\a, \r\b, [\base, #\offset]
        .endm

// \op (ld1 or st1) of v0-v31 four at a time, from [\base] on; \base ends past them.
        .macro  vregs op, base, first=0
        quad    \op, \base, \first, %(\first+3)
        .if     \first-28
        vregs   \op, \base, %(\first+4)
        .endif
        .endm
        .macro  quad op, base, a, b
        \op     {v\a\().2d-v\b\().2d}, [\base], #64
        .endm

        .macro  saved_at reg
        adrp    \reg, saved
        add     \reg, \reg, :lo12:saved
        .endm

// \op (ldp or stp) of the C code's callee-saved registers; x9 = saved.
        .macro  callee_saved op
        pairs   \op, x, 19, 30, x9, 0
        pairs   \op, d, 8, 15, x9, SAVED_D8
        .endm

// TPIDR_EL0 and FPCR back as the C code had them; x9 = saved.
        .macro  c_context
        ldr     x10, [x9, #SAVED_TPIDR]
        msr     tpidr_el0, x10
        ldr     x10, [x9, #SAVED_FPCR]
        msr     fpcr, x10
        .endm

        .text
        .global run_case
        .global store_state
run_case:                               // void run_case(const uint64_t *in, uint64_t *out)
        saved_at x9
        callee_saved stp
        mov     x10, sp
        str     x10, [x9, #SAVED_SP]
        mrs     x10, tpidr_el0
        str     x10, [x9, #SAVED_TPIDR]
        mrs     x10, fpcr
        str     x10, [x9, #SAVED_FPCR]
        str     x1, [x9, #SAVED_OUT]
        add     x10, x0, #REC_V
        vregs   ld1, x10
        ldr     x10, [x0, #REC_FPCR]
        msr     fpcr, x10
        ldr     x10, [x0, #REC_FPSR]
        msr     fpsr, x10
        ldr     x10, [x0, #REC_TPIDR]
        msr     tpidr_el0, x10
        ldr     x10, [x0, #REC_SP]
        mov     sp, x10
        ldr     x10, [x0, #REC_NZCV]
        msr     nzcv, x10
        mov     x30, x0
        pairs   ldp, x, 0, 29, x30, 0
        ldr     x30, [x30, #REC_SLOT]
        br      x30

store_state:
        msr     tpidr_el0, x0
        saved_at x0
        ldr     x0, [x0, #SAVED_OUT]
        str     x1, [x0, #8]
        pairs   stp, x, 2, 29, x0, 16
        str     x30, [x0, #240]
        mrs     x1, tpidr_el0           // the case's x0, parked there on the way in
        str     x1, [x0, #0]
        mov     x1, sp
        str     x1, [x0, #REC_SP]
        mrs     x1, nzcv
        str     x1, [x0, #REC_NZCV]
        mrs     x1, fpcr
        str     x1, [x0, #REC_FPCR]
        mrs     x1, fpsr
        str     x1, [x0, #REC_FPSR]
        add     x1, x0, #REC_V
        vregs   st1, x1
        saved_at x9
        ldr     x10, [x9, #SAVED_SP]
        mov     sp, x10
        c_context
        callee_saved ldp
        ret

        .global restore_c_context
restore_c_context:                      // after a signal: TPIDR_EL0 and FPCR of the C code
        saved_at x9
        c_context
        ret

        .bss
        .balign 16
saved:  .skip   SAVED_SIZE
        .section .note.GNU-stack,"",%progbits
