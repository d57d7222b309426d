package a64emu.mmu;

import a64emu.cpu.Esr;

/**
 * One MMU fault, with everything needed for ESR_EL1 and FAR_EL1.
 *
 * @param kind   the fault class, which selects the FSC group
 * @param level  translation level the fault is reported at (0-3), or -1 where none applies
 * @param va     the faulting virtual address (FAR)
 * @param access what the access was
 * @param el     exception level of the access (0 for user)
 * @param s1ptw  true if the fault happened on a stage-1 table walk access
 * @param cacheMaintenance true for DC/IC operations (ISS.CM)
 */
public record Fault(Kind kind, int level, long va, AccessType access, int el, boolean s1ptw,
                    boolean cacheMaintenance) {

    public enum Kind {
        ADDRESS_SIZE(Esr.FSC_ADDRESS_SIZE, "address size"),
        TRANSLATION(Esr.FSC_TRANSLATION, "translation"),
        ACCESS_FLAG(Esr.FSC_ACCESS_FLAG, "access flag"),
        PERMISSION(Esr.FSC_PERMISSION, "permission"),
        EXTERNAL_ABORT_ON_WALK(Esr.FSC_SYNC_EXTERNAL_WALK, "external abort on walk"),
        EXTERNAL_ABORT(Esr.FSC_SYNC_EXTERNAL, "external abort"),
        ALIGNMENT(Esr.FSC_ALIGNMENT, "alignment");

        public final int fscBase;
        public final String description;

        Kind(int fscBase, String description) {
            this.fscBase = fscBase;
            this.description = description;
        }

        boolean hasLevel() {
            return this != ALIGNMENT && this != EXTERNAL_ABORT;
        }
    }

    public Fault(Kind kind, int level, long va, AccessType access, int el) {
        this(kind, level, va, access, el, false, false);
    }

    /** DFSC/IFSC: the fault status code with the level in its low bits. */
    public int fsc() {
        return kind.hasLevel() ? kind.fscBase | (level & 3) : kind.fscBase;
    }

    /** EC for this fault: instruction vs data abort, lower vs same EL (taken to EL1). */
    public int ec() {
        boolean lower = el == 0;
        if (access == AccessType.EXECUTE) {
            return lower ? Esr.EC_IABT_LOWER : Esr.EC_IABT_CUR;
        }
        return lower ? Esr.EC_DABT_LOWER : Esr.EC_DABT_CUR;
    }

    /** ISS for this fault (ISV=0, as stage 1 reports for most faults). */
    public int iss() {
        int iss = fsc();
        if (access != AccessType.EXECUTE) {
            // WnR is 1 for writes; cache maintenance reports CM=1 and WnR=1 (ARM ARM D17.2.37).
            if (access == AccessType.WRITE || cacheMaintenance) {
                iss |= Esr.ISS_DA_WNR;
            }
            if (cacheMaintenance) {
                iss |= Esr.ISS_DA_CM;
            }
        }
        if (s1ptw) {
            iss |= Esr.ISS_DA_S1PTW;
        }
        return iss;
    }

    public int esr() {
        return Esr.value(ec(), iss());
    }

    @Override
    public String toString() {
        return String.format("%s fault%s on %s at 0x%x (%s)",
                kind.description, kind.hasLevel() ? " level " + level : "",
                access.name().toLowerCase(), va, Esr.fscName(fsc()));
    }
}
