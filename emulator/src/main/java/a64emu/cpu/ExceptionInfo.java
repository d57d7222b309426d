package a64emu.cpu;

import a64emu.mmu.Fault;

/**
 * Why {@link Cpu#run} stopped before its quantum ended: everything ESR_EL1, ELR_EL1
 * and FAR_EL1 would hold when the exception is taken to EL1, plus the instruction word
 * for diagnostics.
 *
 * @param ec        exception class (see {@link Esr})
 * @param iss       instruction-specific syndrome
 * @param far       faulting virtual address (aborts, PC alignment), else 0
 * @param elr       preferred return address: the faulting instruction for aborts and
 *                  undefined instructions, the next instruction for SVC
 * @param insnWord  the instruction word at the faulting PC, or 0 when it could not be fetched
 * @param fault     the MMU's fault record for aborts, else null
 */
public record ExceptionInfo(int ec, int iss, long far, long elr, int insnWord, Fault fault) {
    public int esr() {
        return Esr.value(ec, iss);
    }

    public boolean isAbort() {
        return ec == Esr.EC_DABT_LOWER || ec == Esr.EC_DABT_CUR
                || ec == Esr.EC_IABT_LOWER || ec == Esr.EC_IABT_CUR;
    }

    @Override
    public String toString() {
        return String.format("%s (ESR 0x%08x) elr=0x%x far=0x%x insn=0x%08x%s",
                Esr.ecName(ec), esr(), elr, far, insnWord, fault == null ? "" : " " + fault);
    }
}
