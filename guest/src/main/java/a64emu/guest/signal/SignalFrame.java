package a64emu.guest.signal;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Task;
import a64emu.guest.UserMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The arm64 signal frame, Linux {@code arch/arm64/kernel/signal.c}: what the kernel
 * pushes on the user stack before running a handler, and reads back in rt_sigreturn.
 *
 * <pre>
 * struct rt_sigframe {                       // 4688 bytes, 16-aligned, at the handler's SP
 *     siginfo_t info;                        //    0: 128 bytes
 *     struct ucontext uc;                    //  128:
 *         u64 uc_flags; ucontext *uc_link;   //  128, 136
 *         stack_t uc_stack;                  //  144: ss_sp, ss_flags, ss_size
 *         sigset_t uc_sigmask;               //  168: 8 bytes, padded to 128 (glibc's size)
 *         struct sigcontext uc_mcontext;     //  304: fault_address, regs[31], sp, pc, pstate,
 *                                            //       __reserved[4096] at +288 (aligned 16):
 *                                            //       fpsimd_context, [esr_context], terminator
 * };
 * struct frame_record { u64 fp, lr; }        // above the frame; x29 points at it
 * </pre>
 */
public final class SignalFrame {
    private SignalFrame() {}

    public static final int SIGINFO_SIZE = 128;
    public static final int UC = SIGINFO_SIZE;
    public static final int UC_STACK = UC + 16;
    public static final int UC_SIGMASK = UC + 40;
    public static final int UC_MCONTEXT = UC + 176;
    public static final int SC_FAULT_ADDRESS = UC_MCONTEXT;
    public static final int SC_REGS = UC_MCONTEXT + 8;
    public static final int SC_SP = UC_MCONTEXT + 256;
    public static final int SC_PC = UC_MCONTEXT + 264;
    public static final int SC_PSTATE = UC_MCONTEXT + 272;
    public static final int SC_RESERVED = UC_MCONTEXT + 288;
    public static final int RESERVED_SIZE = 4096;
    /** sizeof(struct rt_sigframe). */
    public static final int FRAME_SIZE = SC_RESERVED + RESERVED_SIZE;
    public static final int FRAME_RECORD_SIZE = 16;

    /** struct _aarch64_ctx magics (UAPI asm/sigcontext.h). */
    public static final int FPSIMD_MAGIC = 0x4650_8001;
    public static final int FPSIMD_CONTEXT_SIZE = 528;
    public static final int ESR_MAGIC = 0x4553_5201;
    public static final int ESR_CONTEXT_SIZE = 16;
    public static final int EXTRA_MAGIC = 0x4558_5401;

    /** PSTATE bits a 64-bit EL0t state may have (Linux valid_native_regs): NZCV only, mode 0. */
    private static final long PSTATE_NZCV = 0xF000_0000L;

    /**
     * Where the handler's frame goes (Linux get_sigframe): below the frame record under the
     * stack pointer, or at the top of the alternate stack. Returns the frame address.
     */
    static long frameAddress(long sp) {
        long record = (sp - FRAME_RECORD_SIZE) & ~15L;
        return (record & ~15L) - FRAME_SIZE;
    }

    /**
     * Pushes the frame for {@code info} on {@code stackTop} and sets the registers to enter
     * the handler (Linux setup_rt_frame and setup_return): x0 = signo, with SA_SIGINFO
     * x1 = &info and x2 = &uc, SP = the frame, x29 = the frame record, x30 = the return
     * trampoline, PC = the handler. {@code savedMask} is the mask rt_sigreturn restores.
     *
     * @throws BadUserAddressException if the stack cannot take the frame (the caller kills)
     */
    static void setup(Task task, UserMemory user, SignalInfo info, SignalActions.Action action, long stackTop,
                      long savedMask, long trampoline) throws BadUserAddressException {
        Cpu cpu = task.cpu;
        long record = (stackTop - FRAME_RECORD_SIZE) & ~15L;
        long frame = (record & ~15L) - FRAME_SIZE;
        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        boolean siginfo = (action.flags() & SignalActions.SA_SIGINFO) != 0;
        if (siginfo) {
            writeSiginfo(b, info, cpu.pc);
        }
        // uc_flags, uc_link stay 0. __save_altstack: the stack the thread had, flags as sigaltstack reports.
        SignalActions.AltStack alt = task.altStack;
        b.putLong(UC_STACK, alt.sp());
        b.putInt(UC_STACK + 8, alt.flags() | (task.onAltStack(cpu.sp) ? SignalActions.SS_ONSTACK : 0));
        b.putLong(UC_STACK + 16, alt.size());
        b.putLong(UC_SIGMASK, savedMask);
        b.putLong(SC_FAULT_ADDRESS, info.addr() != SignalInfo.NO_ADDRESS ? info.addr() : 0);
        for (int i = 0; i < 31; i++) {
            b.putLong(SC_REGS + 8 * i, cpu.x[i]);
        }
        b.putLong(SC_SP, cpu.sp);
        b.putLong(SC_PC, cpu.pc);
        b.putLong(SC_PSTATE, cpu.nzcv & PSTATE_NZCV);
        int rec = SC_RESERVED;
        b.putInt(rec, FPSIMD_MAGIC);
        b.putInt(rec + 4, FPSIMD_CONTEXT_SIZE);
        b.putInt(rec + 8, (int) cpu.fpsr);
        b.putInt(rec + 12, (int) cpu.fpcr);
        for (int i = 0; i < 64; i++) {
            b.putLong(rec + 16 + 8 * i, cpu.v[i]);
        }
        rec += FPSIMD_CONTEXT_SIZE;
        if (info.esr() != 0) {
            b.putInt(rec, ESR_MAGIC);
            b.putInt(rec + 4, ESR_CONTEXT_SIZE);
            b.putLong(rec + 8, info.esr());
            rec += ESR_CONTEXT_SIZE;
        }
        // The terminator: a zero _aarch64_ctx header, already there.
        user.write(frame, b.array());
        user.write64(record, cpu.x[29]);
        user.write64(record + 8, cpu.x[30]);

        cpu.x[0] = info.signo();
        if (siginfo) {
            cpu.x[1] = frame;
            cpu.x[2] = frame + UC;
        }
        cpu.sp = frame;
        cpu.x[29] = record;
        cpu.x[30] = (action.flags() & SignalActions.SA_RESTORER) != 0 ? action.restorer() : trampoline;
        cpu.pc = action.handler();
    }

    /**
     * siginfo_t on arm64: si_signo, si_errno, si_code (ints), then the union at 16: si_addr
     * for faults, si_pid/si_uid for kill, and si_status for SIGCHLD.
     */
    private static void writeSiginfo(ByteBuffer b, SignalInfo info, long pc) {
        b.putInt(0, info.signo());
        b.putInt(8, info.code());
        if (info.isSeccomp()) {
            b.putInt(4, (int) info.status()); // si_errno: SECCOMP_RET_DATA
            b.putLong(16, info.addr()); // si_call_addr
            b.putInt(24, info.pid()); // si_syscall
            b.putInt(28, info.uid()); // si_arch
        } else if (info.code() > 0 && Signal.isSynchronous(info.signo())) {
            // An instruction's signal (SIGILL, SIGTRAP) reports the instruction's address.
            b.putLong(16, info.addr() == SignalInfo.NO_ADDRESS ? pc : info.addr());
        } else {
            b.putInt(16, info.pid());
            b.putInt(20, info.uid());
            if (info.signo() == Signal.SIGCHLD) {
                b.putInt(24, (int) info.status());
            } else if (info.code() == Signal.SI_QUEUE || info.code() == Signal.SI_TIMER
                    || info.code() == Signal.SI_MESGQ) {
                b.putLong(24, info.status()); // si_value
            }
        }
    }

    /** The frame was not one the kernel could have written (Linux's badframe). */
    public static final class BadFrameException extends Exception {
        public BadFrameException(String why) {
            super(why);
        }
    }

    /**
     * rt_sigreturn (Linux sys_rt_sigreturn, restore_sigframe, parse_user_sigframe): reads the
     * frame at SP back into the registers and returns the signal mask and alternate stack it
     * holds. The handler may have changed anything in it; the checks are Linux's: SP
     * 16-aligned, a valid 64-bit EL0 PSTATE, a well-formed record list with an fpsimd record.
     */
    static Restored restore(Task task, UserMemory user) throws BadFrameException {
        Cpu cpu = task.cpu;
        long frame = cpu.sp;
        if ((frame & 15) != 0) {
            throw new BadFrameException("SP not 16-byte aligned");
        }
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(user.read(frame, FRAME_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (BadUserAddressException e) {
            throw new BadFrameException("frame not readable");
        }
        long pstate = b.getLong(SC_PSTATE);
        boolean validPstate = (pstate & ~PSTATE_NZCV) == 0;
        int rec = SC_RESERVED;
        int fpsr = 0;
        int fpcr = 0;
        long[] vregs = null;
        while (true) {
            if (rec + 8 > SC_RESERVED + RESERVED_SIZE) {
                throw new BadFrameException("record list runs past __reserved");
            }
            int magic = b.getInt(rec);
            int size = b.getInt(rec + 4);
            if (magic == 0) {
                if (size != 0) {
                    throw new BadFrameException("terminator with size " + size);
                }
                break;
            }
            if (size < 8 || (size & 15) != 0 || rec + size > SC_RESERVED + RESERVED_SIZE) {
                throw new BadFrameException("record of size " + size);
            }
            switch (magic) {
                case FPSIMD_MAGIC -> {
                    if (vregs != null || size != FPSIMD_CONTEXT_SIZE) {
                        throw new BadFrameException("fpsimd record repeated or of size " + size);
                    }
                    fpsr = b.getInt(rec + 8);
                    fpcr = b.getInt(rec + 12);
                    vregs = new long[64];
                    for (int i = 0; i < 64; i++) {
                        vregs[i] = b.getLong(rec + 16 + 8 * i);
                    }
                }
                case ESR_MAGIC -> {
                    // Information for the handler only; ignored on return, as Linux does.
                }
                default -> throw new BadFrameException(String.format("unknown record magic 0x%x", magic));
            }
            rec += size;
        }
        if (vregs == null) {
            throw new BadFrameException("no fpsimd record");
        }
        for (int i = 0; i < 31; i++) {
            cpu.x[i] = b.getLong(SC_REGS + 8 * i);
        }
        cpu.sp = b.getLong(SC_SP);
        cpu.pc = b.getLong(SC_PC);
        cpu.nzcv = (int) (pstate & PSTATE_NZCV);
        cpu.fpsr = fpsr & 0xFFFF_FFFFL;
        cpu.fpcr = fpcr & 0xFFFF_FFFFL;
        System.arraycopy(vregs, 0, cpu.v, 0, 64);
        if (!validPstate) {
            // valid_native_regs forces PSTATE to a 64-bit EL0t one and the return fails.
            throw new BadFrameException(String.format("PSTATE 0x%x is not a 64-bit EL0 state", pstate));
        }
        SignalActions.AltStack alt = new SignalActions.AltStack(b.getLong(UC_STACK), b.getInt(UC_STACK + 8),
                b.getLong(UC_STACK + 16));
        return new Restored(b.getLong(UC_SIGMASK), alt);
    }

    record Restored(long sigmask, SignalActions.AltStack altStack) {}

    /**
     * The ESR a user signal handler sees (Linux set_thread_esr for a user address): the
     * exception class, IL, and for data aborts WnR and CM, with the fault status code
     * reported as a level 0 translation fault, so that nothing of the page tables leaks.
     */
    public static long sanitizedEsr(int ec, int iss) {
        int esr = Esr.value(ec, iss);
        int keep = (0x3F << 26) | Esr.IL;
        if (ec == Esr.EC_DABT_LOWER || ec == Esr.EC_DABT_CUR) {
            keep |= Esr.ISS_DA_CM | Esr.ISS_DA_WNR;
        }
        return ((esr & keep) | Esr.FSC_TRANSLATION) & 0xFFFF_FFFFL;
    }
}
