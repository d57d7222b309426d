// A data segment whose last file page continues as .bss: the bytes past the file data must
// read as zero although the file holds non-zero bytes there (the section headers). Exits
// with the sum of data (7) and the first bss word (0), or 99 if the bss word is not zero.
    .global _start
    .text
_start:
    adr x1, value
    ldr x0, [x1]
    adr x2, zeroed
    ldr x3, [x2]
    cbnz x3, bad
    mov x8, #94
    svc #0
bad:
    mov x0, #99
    mov x8, #94
    svc #0
    .data
value: .quad 7
    .bss
zeroed: .quad 0
