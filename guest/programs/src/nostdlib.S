/* A program with no C library at all: its own _start, raw system calls
 * through SVC #0 (Linux asm-generic numbers in x8), and an exit status.
 * It prints argc and the sum 1+2+...+100 in decimal, computed here, so the
 * run also exercises loads from the initial stack, arithmetic, a division
 * loop and byte stores. */

        .file   "nostdlib.S"            // else the object is named after a temporary file

        .equ    SYS_write, 64
        .equ    SYS_exit, 93
        .equ    STDOUT, 1
        .equ    STATUS, 7

        .text
        .globl  _start
        .type   _start, %function
_start:
        ldr     x19, [sp]               // argc, at the top of the initial stack

        adr     x1, greeting
        mov     x2, #(greeting_end - greeting)
        bl      write_stdout

        adr     x1, argc_label
        mov     x2, #(argc_label_end - argc_label)
        bl      write_stdout
        mov     x0, x19
        bl      write_decimal_line

        mov     x0, #0                  // sum of 1..100, counted down
        mov     x3, #100
1:      add     x0, x0, x3
        subs    x3, x3, #1
        b.ne    1b
        mov     x20, x0
        adr     x1, sum_label
        mov     x2, #(sum_label_end - sum_label)
        bl      write_stdout
        mov     x0, x20
        bl      write_decimal_line

        mov     x0, #STATUS
        mov     x8, #SYS_exit
        svc     #0
        brk     #0                      // exit does not return

/* write(1, x1, x2); clobbers x0, x8 */
write_stdout:
        mov     x0, #STDOUT
        mov     x8, #SYS_write
        svc     #0
        ret

/* Writes x0 in decimal followed by a newline; clobbers x0-x8. */
write_decimal_line:
        sub     sp, sp, #32
        add     x4, sp, #31             // fill the buffer from its end
        mov     w5, #'\n'
        strb    w5, [x4]
        mov     x6, #10
2:      udiv    x7, x0, x6
        msub    x5, x7, x6, x0          // x5 = x0 % 10
        add     w5, w5, #'0'
        strb    w5, [x4, #-1]!
        mov     x0, x7
        cbnz    x0, 2b
        mov     x1, x4
        add     x2, sp, #32
        sub     x2, x2, x4
        mov     x0, #STDOUT
        mov     x8, #SYS_write
        svc     #0
        add     sp, sp, #32
        ret

        .section .rodata
greeting:
        .ascii  "nostdlib: hello from _start, no C library here\n"
greeting_end:
argc_label:
        .ascii  "argc="
argc_label_end:
sum_label:
        .ascii  "sum of 1..100="
sum_label_end:

        .section .note.GNU-stack,"",%progbits
