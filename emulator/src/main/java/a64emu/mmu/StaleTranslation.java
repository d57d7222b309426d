package a64emu.mmu;

import a64emu.cpu.Esr;

/**
 * A TLB hit whose cached translation no longer agrees with the translation tables in
 * memory: the descriptor changed and no TLBI removed the entry. Hardware keeps using
 * such an entry (ARM ARM D8.13), and so does a64emu; in {@code --tlb-check} mode
 * {@link Mmu} also re-walks on every hit and reports each disagreement as one of these.
 *
 * @param va               the virtual address accessed (as given, tag byte included)
 * @param asid             the ASID in force
 * @param access           the access that used the entry
 * @param el               its exception level
 * @param cachedPa         the PA the TLB entry gave
 * @param cachedPermissions the entry's permission mask ({@link Tlb#permissionBit} bits)
 * @param cachedGlobal     the entry is global (nG=0)
 * @param tablePa          the PA the tables give now, or -1 if they fault
 * @param tablePermissions the tables' permission mask now, or 0 if they fault before permissions
 * @param tableGlobal      the tables' leaf is global
 * @param tableFault       the fault a walk takes now (other than a permission fault), or null
 */
public record StaleTranslation(long va, int asid, AccessType access, int el, long cachedPa, int cachedPermissions,
                               boolean cachedGlobal, long tablePa, int tablePermissions, boolean tableGlobal,
                               Fault tableFault) {

    /** Receives stale uses; installed with {@link Mmu#setTlbCheck}. */
    @FunctionalInterface
    public interface Listener {
        void staleTranslation(StaleTranslation stale);
    }

    /** The cached translation, e.g. {@code PA 0x41234000 EL0 r-x EL1 r-- nG}. */
    public String cached() {
        return String.format("PA 0x%x %s %s", cachedPa, Tlb.describePermissions(cachedPermissions),
                cachedGlobal ? "global" : "nG");
    }

    /** What the tables say now, in the same words, or the fault a walk takes. */
    public String tables() {
        if (tableFault != null) {
            return Esr.fscName(tableFault.fsc());
        }
        return String.format("PA 0x%x %s %s", tablePa, Tlb.describePermissions(tablePermissions),
                tableGlobal ? "global" : "nG");
    }
}
