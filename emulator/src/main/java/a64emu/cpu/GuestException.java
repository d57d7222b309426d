package a64emu.cpu;

import a64emu.mmu.Fault;

/**
 * Unwinds the interpreter out of an instruction that takes a synchronous exception
 * (abort, undefined instruction, SVC, BRK). It is a control-flow value, not an error:
 * it has no stack trace, and {@link Cpu#run} turns it into an {@link ExceptionInfo}
 * with the PC and instruction word filled in.
 */
public final class GuestException extends RuntimeException {
    public final int ec;
    public final int iss;
    public final long far;
    public final Fault fault;

    public GuestException(int ec, int iss, long far, Fault fault) {
        super(null, null, false, false);
        this.ec = ec;
        this.iss = iss;
        this.far = far;
        this.fault = fault;
    }

    public static GuestException undefined() {
        return new GuestException(Esr.EC_UNKNOWN, 0, 0, null);
    }

    public static GuestException svc(int imm16) {
        return new GuestException(Esr.EC_SVC64, imm16 & 0xFFFF, 0, null);
    }

    public static GuestException brk(int imm16) {
        return new GuestException(Esr.EC_BRK64, imm16 & 0xFFFF, 0, null);
    }

    @Override
    public String getMessage() {
        return String.format("%s iss=0x%x far=0x%x%s", Esr.ecName(ec), iss, far, fault == null ? "" : " " + fault);
    }
}
