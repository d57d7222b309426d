// write(1, "kernel test\n", 12); exit_group(5)
    .global _start
_start:
    mov x0, #1
    adr x1, msg
    mov x2, #12
    mov x8, #64
    svc #0
    mov x0, #5
    mov x8, #94
    svc #0
msg: .ascii "kernel test\n"
