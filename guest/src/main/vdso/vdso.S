/*
 * a64emu's vDSO, linux-vdso.so.1 as Linux 6.1 builds it for arm64
 * (arch/arm64/kernel/vdso/: vdso.lds.S, note.S, sigreturn.S, vgettimeofday.c) when the
 * clocksource cannot be read from user space (VDSO_CLOCKMODE_NONE): every time function
 * falls back to its system call, which is exact here because the guest's clocks live in
 * the guest kernel. Built by build.sh in this directory.
 */

#define __NR_clock_gettime	113
#define __NR_clock_getres	114
#define __NR_gettimeofday	169
#define __NR_rt_sigreturn	139
/* LINUX_VERSION_CODE of 6.1.0, as note.S records it. */
#define LINUX_VERSION_CODE	0x060100

/* note.S: ELFNOTE(Linux, 0, .long LINUX_VERSION_CODE). */
	.pushsection .note.Linux, "a", %note
	.balign 4
	.long	2f - 1f			/* namesz */
	.long	4f - 3f			/* descsz */
	.long	0			/* type */
1:	.asciz	"Linux"
2:	.balign 4
3:	.long	LINUX_VERSION_CODE
4:	.balign 4
	.popsection

	.text

/* vgettimeofday.c with the generic fallbacks of asm/vdso/gettimeofday.h. */
	.globl	__kernel_clock_gettime
	.type	__kernel_clock_gettime, %function
	.balign	4
__kernel_clock_gettime:
	.cfi_startproc
	mov	x8, #__NR_clock_gettime
	svc	#0
	ret
	.cfi_endproc
	.size	__kernel_clock_gettime, . - __kernel_clock_gettime

	.globl	__kernel_gettimeofday
	.type	__kernel_gettimeofday, %function
	.balign	4
__kernel_gettimeofday:
	.cfi_startproc
	mov	x8, #__NR_gettimeofday
	svc	#0
	ret
	.cfi_endproc
	.size	__kernel_gettimeofday, . - __kernel_gettimeofday

	.globl	__kernel_clock_getres
	.type	__kernel_clock_getres, %function
	.balign	4
__kernel_clock_getres:
	.cfi_startproc
	mov	x8, #__NR_clock_getres
	svc	#0
	ret
	.cfi_endproc
	.size	__kernel_clock_getres, . - __kernel_clock_getres

/*
 * sigreturn.S: the return address of a signal handler when sa_restorer is not given. The
 * unwinder finds the interrupted context's frame record through x29; the nop before the
 * symbol lets an unwinder that looks up pc - 1 still land in this CFI.
 */
	.balign	4
	.cfi_startproc
	.cfi_signal_frame
	.cfi_def_cfa	x29, 0
	.cfi_offset	x29, 0 * 8
	.cfi_offset	x30, 1 * 8
	nop
	.globl	__kernel_rt_sigreturn
	.type	__kernel_rt_sigreturn, %function
__kernel_rt_sigreturn:
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	.cfi_endproc
	.size	__kernel_rt_sigreturn, . - __kernel_rt_sigreturn
