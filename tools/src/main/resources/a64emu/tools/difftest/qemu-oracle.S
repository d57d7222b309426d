// The qemu-aarch64 oracle's register shuttle (see QemuOracle.java). run_case loads
// the whole architectural state of a case record and branches to the case's slot in
// the scratch window; the slot's trampoline loads X30, executes the instruction under
// test and branches to store_state, which writes the state into the output record and
// returns to run_case's caller.
//
// Record layout (little-endian 64-bit words): x0-x30 at 0, sp 248, nzcv 256, fpcr 264,
// fpsr 272, tpidr 280, v0-v31 at 288 (low half first), word 800, pc 808, slot 816.

        .text
        .global run_case
        .global store_state
run_case:                               // void run_case(const uint64_t *in, uint64_t *out)
        adrp    x9, saved
        add     x9, x9, :lo12:saved
        stp     x19, x20, [x9, #0]
        stp     x21, x22, [x9, #16]
        stp     x23, x24, [x9, #32]
        stp     x25, x26, [x9, #48]
        stp     x27, x28, [x9, #64]
        stp     x29, x30, [x9, #80]
        mov     x10, sp
        str     x10, [x9, #96]
        mrs     x10, tpidr_el0
        str     x10, [x9, #104]
        mrs     x10, fpcr
        str     x10, [x9, #112]
        stp     d8, d9, [x9, #120]
        stp     d10, d11, [x9, #136]
        stp     d12, d13, [x9, #152]
        stp     d14, d15, [x9, #168]
        str     x1, [x9, #184]
        add     x10, x0, #288
        ld1     {v0.2d-v3.2d}, [x10], #64
        ld1     {v4.2d-v7.2d}, [x10], #64
        ld1     {v8.2d-v11.2d}, [x10], #64
        ld1     {v12.2d-v15.2d}, [x10], #64
        ld1     {v16.2d-v19.2d}, [x10], #64
        ld1     {v20.2d-v23.2d}, [x10], #64
        ld1     {v24.2d-v27.2d}, [x10], #64
        ld1     {v28.2d-v31.2d}, [x10], #64
        ldr     x10, [x0, #264]
        msr     fpcr, x10
        ldr     x10, [x0, #272]
        msr     fpsr, x10
        ldr     x10, [x0, #280]
        msr     tpidr_el0, x10
        ldr     x10, [x0, #248]
        mov     sp, x10
        ldr     x10, [x0, #256]
        msr     nzcv, x10
        mov     x30, x0
        ldp     x0, x1, [x30, #0]
        ldp     x2, x3, [x30, #16]
        ldp     x4, x5, [x30, #32]
        ldp     x6, x7, [x30, #48]
        ldp     x8, x9, [x30, #64]
        ldp     x10, x11, [x30, #80]
        ldp     x12, x13, [x30, #96]
        ldp     x14, x15, [x30, #112]
        ldp     x16, x17, [x30, #128]
        ldp     x18, x19, [x30, #144]
        ldp     x20, x21, [x30, #160]
        ldp     x22, x23, [x30, #176]
        ldp     x24, x25, [x30, #192]
        ldp     x26, x27, [x30, #208]
        ldp     x28, x29, [x30, #224]
        ldr     x30, [x30, #816]
        br      x30

store_state:
        msr     tpidr_el0, x0
        adrp    x0, saved
        add     x0, x0, :lo12:saved
        ldr     x0, [x0, #184]
        str     x1, [x0, #8]
        stp     x2, x3, [x0, #16]
        stp     x4, x5, [x0, #32]
        stp     x6, x7, [x0, #48]
        stp     x8, x9, [x0, #64]
        stp     x10, x11, [x0, #80]
        stp     x12, x13, [x0, #96]
        stp     x14, x15, [x0, #112]
        stp     x16, x17, [x0, #128]
        stp     x18, x19, [x0, #144]
        stp     x20, x21, [x0, #160]
        stp     x22, x23, [x0, #176]
        stp     x24, x25, [x0, #192]
        stp     x26, x27, [x0, #208]
        stp     x28, x29, [x0, #224]
        str     x30, [x0, #240]
        mrs     x1, tpidr_el0
        str     x1, [x0, #0]
        mov     x1, sp
        str     x1, [x0, #248]
        mrs     x1, nzcv
        str     x1, [x0, #256]
        mrs     x1, fpcr
        str     x1, [x0, #264]
        mrs     x1, fpsr
        str     x1, [x0, #272]
        add     x1, x0, #288
        st1     {v0.2d-v3.2d}, [x1], #64
        st1     {v4.2d-v7.2d}, [x1], #64
        st1     {v8.2d-v11.2d}, [x1], #64
        st1     {v12.2d-v15.2d}, [x1], #64
        st1     {v16.2d-v19.2d}, [x1], #64
        st1     {v20.2d-v23.2d}, [x1], #64
        st1     {v24.2d-v27.2d}, [x1], #64
        st1     {v28.2d-v31.2d}, [x1], #64
        adrp    x9, saved
        add     x9, x9, :lo12:saved
        ldr     x10, [x9, #96]
        mov     sp, x10
        ldr     x10, [x9, #104]
        msr     tpidr_el0, x10
        ldr     x10, [x9, #112]
        msr     fpcr, x10
        ldp     x19, x20, [x9, #0]
        ldp     x21, x22, [x9, #16]
        ldp     x23, x24, [x9, #32]
        ldp     x25, x26, [x9, #48]
        ldp     x27, x28, [x9, #64]
        ldp     x29, x30, [x9, #80]
        ldp     d8, d9, [x9, #120]
        ldp     d10, d11, [x9, #136]
        ldp     d12, d13, [x9, #152]
        ldp     d14, d15, [x9, #168]
        ret

        .global restore_c_context
restore_c_context:                      // after a signal: TPIDR_EL0 and FPCR of the C code
        adrp    x9, saved
        add     x9, x9, :lo12:saved
        ldr     x10, [x9, #104]
        msr     tpidr_el0, x10
        ldr     x10, [x9, #112]
        msr     fpcr, x10
        ret

        .bss
        .balign 16
saved:  .skip   192
        .section .note.GNU-stack,"",%progbits
