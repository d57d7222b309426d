package a64emu.mmu;

import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage-1 VMSAv8-64 translation for the EL1&0 regime (ARM ARM D8), 4 KiB granule, with
 * an ASID-tagged {@link Tlb}. Descriptors are read from emulated {@link PhysicalMemory}
 * exactly as hardware reads them; the format lives in {@link Descriptor}, TCR fields in
 * {@link Tcr}.
 *
 * <p>{@link #translate} looks in the TLB first; a hit checks the cached, already
 * accumulated permissions and returns. A miss walks the tables in the order of the
 * architecture's fault priority (ARM ARM D8, reference §3, and the order QEMU's
 * {@code get_phys_addr_lpae} follows): VA range and EPD, then per level the table address
 * size and validity, then the leaf's output address size, Access flag and Permission.
 * Faults are thrown as {@link GuestException} carrying a {@link Fault}.
 */
public final class Mmu {
    /** ID_AA64MMFR0_EL1.PARange of the emulated CPU: 48-bit physical addresses. */
    public static final int PA_RANGE_BITS = 48;

    /** SCTLR_EL1.M: stage-1 translation enabled. */
    public static final long SCTLR_M = 1L << 0;
    /** SCTLR_EL1.WXN: a region writable at an EL is execute-never at that EL. */
    public static final long SCTLR_WXN = 1L << 19;

    /** TTBRn_EL1.BADDR [47:1]; bit 0 is CnP, [63:48] the ASID. */
    public static final long TTBR_BADDR_MASK = 0x0000_FFFF_FFFF_FFFEL;
    public static final int TTBR_ASID_SHIFT = 48;

    private static final long VA_BIT55 = 1L << 55;
    private static final long TOP_BYTE = 0xFFL << 56;

    private final PhysicalMemory ram;
    private final Tlb tlb;

    private long sctlr;
    private long tcr;
    private long ttbr0;
    private long ttbr1;
    private long mair;
    /** PSTATE.PAN: EL1 data accesses to EL0-accessible pages fault (FEAT_PAN). */
    private boolean pan;

    // Derived from the registers on every write, so the hot path reads plain fields.
    private boolean enabled;
    private boolean tbi0;
    private boolean tbi1;
    private int asid;

    public Mmu(PhysicalMemory ram) {
        this(ram, new Tlb());
    }

    public Mmu(PhysicalMemory ram, Tlb tlb) {
        this.ram = ram;
        this.tlb = tlb;
    }

    public PhysicalMemory ram() {
        return ram;
    }

    public Tlb tlb() {
        return tlb;
    }

    public long sctlr() { return sctlr; }
    public long tcr() { return tcr; }
    public long ttbr0() { return ttbr0; }
    public long ttbr1() { return ttbr1; }
    public long mair() { return mair; }
    public boolean pan() { return pan; }

    /**
     * Writing SCTLR/TCR/TTBR does not invalidate the TLB, as on hardware: changing TCR
     * fields that affect translation, or reusing an ASID, needs a TLBI (ARM ARM D8, TLB maintenance).
     */
    public void setSctlr(long v) {
        sctlr = v;
        enabled = (v & SCTLR_M) != 0;
    }

    public void setTcr(long v) {
        tcr = v;
        tbi0 = Tcr.tbi(v, false);
        tbi1 = Tcr.tbi(v, true);
        updateAsid();
    }

    public void setTtbr0(long v) {
        ttbr0 = v;
        updateAsid();
    }

    public void setTtbr1(long v) {
        ttbr1 = v;
        updateAsid();
    }

    public void setMair(long v) { mair = v; }

    /** PSTATE.PAN, set by the CPU on exception entry (SCTLR.SPAN=0) or by {@code MSR PAN}. */
    public void setPan(boolean v) { pan = v; }

    /** TCR.A1 picks the TTBR holding the current ASID; TCR.AS=0 keeps only its low 8 bits. */
    private void updateAsid() {
        long source = Tcr.asidFromTtbr1(tcr) ? ttbr1 : ttbr0;
        int value = (int) (source >>> TTBR_ASID_SHIFT) & 0xFFFF;
        asid = Tcr.asid16(tcr) ? value : value & 0xFF;
    }

    /** The ASID that tags non-global TLB entries now. */
    public int asid() {
        return asid;
    }

    /** AttrIndx -> MAIR_EL1 attribute byte (0xFF Normal WB, 0x00 Device-nGnRnE, ...). */
    public int memoryAttribute(int attrIndx) {
        return (int) (mair >>> (8 * attrIndx)) & 0xFF;
    }

    // ---- TLB maintenance ----

    /**
     * Executes a TLBI with Linux's operand format: ASID [63:48], VA[55:12] in [43:0]. With
     * 8-bit ASIDs (TCR.AS=0) the operand's ASID bits [63:56] are ignored.
     */
    public void tlbi(TlbiOp op, long operand) {
        if (!Tcr.asid16(tcr)) {
            operand &= ~(0xFF00L << TlbiOp.OPERAND_ASID_SHIFT);
        }
        tlb.invalidate(op, operand);
    }

    // ---- Translation ----

    /**
     * Translates an EL0 access. Returns the physical address, or throws a
     * {@link GuestException} carrying the {@link Fault}.
     */
    public long translate(long va, AccessType access) {
        return translate(va, access, 0);
    }

    /** Translates an access made at {@code el} (0 or 1). */
    public long translate(long va, AccessType access, int el) {
        if ((el & ~1) != 0) {
            throw new IllegalArgumentException("EL1&0 regime translates EL0 and EL1 accesses only: EL" + el);
        }
        if (!enabled) {
            return flat(va, access, el);
        }
        long key = stripTag(va);
        int e = tlb.lookup(key, asid);
        if (e >= 0) {
            int info = tlb.info(e);
            if ((info & Tlb.permissionBit(access, el)) != 0 && !panDenies(info, access, el)) {
                return tlb.physicalAddress(e, key);
            }
            if (access == AccessType.WRITE && (info & Tlb.FLAG_DBM_WRITABLE) != 0) {
                // The cached entry predates the hardware dirty update: walk again so the
                // descriptor in memory gets AP[2] cleared (ARM ARM D8.4, hardware dirty state).
                return walk(va, key, access, el, null);
            }
            throw fault(Fault.Kind.PERMISSION, tlb.level(e), va, access, el);
        }
        return walk(va, key, access, el, null);
    }

    /**
     * Walks the tables for {@code va} as {@link #translate} would on a TLB miss and reports
     * every descriptor read, for the debugger and the {@code walk} command. It changes
     * nothing: no TLB lookup or fill, no hardware AF/dirty update, no counters. The result
     * shows what memory says now, which may differ from what a stale TLB entry says.
     */
    public TranslationTrace traceWalk(long va, AccessType access, int el) {
        boolean upper = (stripTag(va) & VA_BIT55) != 0;
        List<TranslationTrace.Step> steps = new ArrayList<>();
        int inputSize = enabled ? Descriptor.inputSize(Tcr.txsz(tcr, upper)) : 0;
        try {
            long pa = enabled ? walk(va, stripTag(va), access, el, steps) : flat(va, access, el);
            return new TranslationTrace(va, upper, asid, inputSize, steps, pa, null);
        } catch (GuestException e) {
            return new TranslationTrace(va, upper, asid, inputSize, steps, -1, e.fault);
        }
    }

    /** SCTLR.M=0: VA = PA; an address outside RAM faults as an address size fault. */
    private long flat(long va, AccessType access, int el) {
        if (!ram.contains(va, 1)) {
            throw fault(Fault.Kind.ADDRESS_SIZE, 0, va, access, el);
        }
        return va;
    }

    /**
     * TBI: with TCR.TBIx set for the half VA[55] selects, bits [63:56] take no part in
     * translation; they are replaced by copies of bit 55 so tagged and untagged pointers
     * share TLB entries.
     */
    private long stripTag(long va) {
        if ((va & VA_BIT55) != 0) {
            return tbi1 ? va | TOP_BYTE : va;
        }
        return tbi0 ? va & ~TOP_BYTE : va;
    }

    /**
     * PAN hook (ARM ARM D8.4, FEAT_PAN): with PSTATE.PAN=1, EL1 loads and stores to pages EL0 can
     * access take a Permission fault; instruction fetches are unaffected. PAN lives in
     * PSTATE, not in the tables, so it is applied at lookup, not cached in the entry.
     */
    private boolean panDenies(int info, AccessType access, int el) {
        return pan && el == 1 && access != AccessType.EXECUTE && (info & Tlb.FLAG_EL0_DATA) != 0;
    }

    /**
     * The table walk, in fault-priority order. Fills the TLB on success. With a
     * {@code trace} list it is a debug walk: it records each descriptor and changes nothing.
     */
    private long walk(long va, long key, AccessType access, int el, List<TranslationTrace.Step> trace) {
        boolean debug = trace != null;
        if (!debug) {
            tlb.countWalk();
        }
        boolean upper = (key & VA_BIT55) != 0;
        int txsz = Tcr.txsz(tcr, upper);
        int inputSize = Descriptor.inputSize(txsz);

        // VA[63:inputsize] (TBI: [55:inputsize], already normalised) must all equal VA[55];
        // the hole between the halves is a level 0 Translation fault (QEMU get_phys_addr_lpae
        // reports it at level 0 too).
        if ((key >> inputSize) != (upper ? -1L : 0L)) {
            throw fault(Fault.Kind.TRANSLATION, 0, va, access, el);
        }
        // EPDx=1: walks of this half are disabled, a miss is a level 0 Translation fault.
        if (Tcr.epd(tcr, upper)) {
            throw fault(Fault.Kind.TRANSLATION, 0, va, access, el);
        }
        if (!Tcr.is4kGranule(tcr, upper)) {
            throw new UnsupportedOperationException(String.format(
                    "TCR_EL1=0x%x selects a 16 KiB or 64 KiB granule for %s; a64emu implements 4 KiB only",
                    tcr, upper ? "TTBR1" : "TTBR0"));
        }
        int outputSize = Tcr.outputSize(tcr, PA_RANGE_BITS);
        int level = Descriptor.startLevel(txsz);

        // Table base from TTBR.BADDR. A base beyond the output size is a level 0 Address
        // size fault; the low bits below the start table's size are RES0 (and bit 0 is CnP).
        long table = (upper ? ttbr1 : ttbr0) & TTBR_BADDR_MASK;
        if ((table >>> outputSize) != 0) {
            throw fault(Fault.Kind.ADDRESS_SIZE, 0, va, access, el);
        }
        long startTableBytes = (long) Descriptor.startLevelEntries(txsz) * Descriptor.DESCRIPTOR_BYTES;
        table &= ~(startTableBytes - 1);

        boolean hierarchical = !Tcr.hpd(tcr, upper);
        long tableAttrs = 0;
        long descPa;
        long desc;
        while (true) {
            descPa = table + (long) Descriptor.index(key, level, txsz) * Descriptor.DESCRIPTOR_BYTES;
            // A walk access that no memory answers is a synchronous External abort on
            // the walk at this level (FSC 0x14+level). S1PTW stays 0: that ISS bit is for
            // stage 2 faults on a stage 1 walk, and there is no stage 2 here.
            if (!ram.contains(descPa, Descriptor.DESCRIPTOR_BYTES)) {
                throw fault(Fault.Kind.EXTERNAL_ABORT_ON_WALK, level, va, access, el);
            }
            desc = ram.read64(descPa);
            if (debug) {
                trace.add(new TranslationTrace.Step(level, descPa, desc));
            } else {
                tlb.countWalkRead();
            }

            if (!Descriptor.isValid(desc)) {
                throw fault(Fault.Kind.TRANSLATION, level, va, access, el);
            }
            if (!Descriptor.isTable(desc, level)) {
                break;
            }
            long next = Descriptor.nextTable(desc);
            if ((next >>> outputSize) != 0) {
                throw fault(Fault.Kind.ADDRESS_SIZE, level, va, access, el);
            }
            if (hierarchical) {
                tableAttrs |= desc & (Descriptor.PXN_TABLE | Descriptor.UXN_TABLE | Descriptor.AP_TABLE_MASK);
            }
            table = next;
            level++;
        }

        // Leaf. [1:0]=01 at level 0 (no 512 GiB blocks with 4 KiB granule) or level 3
        // (reserved) is a Translation fault at that level.
        if (!Descriptor.isLeaf(desc, level)) {
            throw fault(Fault.Kind.TRANSLATION, level, va, access, el);
        }
        long outputAddress = Descriptor.outputAddress(desc, level);
        if ((outputAddress >>> outputSize) != 0) {
            throw fault(Fault.Kind.ADDRESS_SIZE, level, va, access, el);
        }

        long updated = desc;
        boolean hardwareDirty = Tcr.hardwareDirty(tcr);
        // AF=0: Access flag fault, unless TCR.HA lets the walker set AF itself. Checked
        // before Permission (reference §3 priority).
        if (!Descriptor.af(desc)) {
            if (!Tcr.hardwareAccessFlag(tcr)) {
                throw fault(Fault.Kind.ACCESS_FLAG, level, va, access, el);
            }
            updated |= Descriptor.AF;
        }
        // TCR.HD with DBM=1: a write makes the page writable-dirty by clearing AP[2]
        // instead of faulting; APTable can still deny it below.
        if (hardwareDirty && access == AccessType.WRITE && Descriptor.dbm(desc)) {
            updated &= ~Descriptor.RDONLY;
        }

        boolean global = !Descriptor.ng(desc);
        int permissions = permissions(updated, tableAttrs, hardwareDirty);
        if ((permissions & Tlb.permissionBit(access, el)) == 0 || panDenies(permissions, access, el)) {
            // Entries that give Permission faults may be cached (only Translation and
            // Access flag results may not); a hardware AF/dirty update is not made when
            // the access faults, so cache the descriptor as memory holds it.
            if (Descriptor.af(desc) && !debug) {
                tlb.insert(key, level, outputAddress, asid, global,
                        permissions(desc, tableAttrs, hardwareDirty));
            }
            throw fault(Fault.Kind.PERMISSION, level, va, access, el);
        }
        if (debug) {
            return outputAddress | (key & (Descriptor.bytesMappedAt(level) - 1));
        }
        if (updated != desc) {
            ram.write64(descPa, updated);
        }
        tlb.insert(key, level, outputAddress, asid, global, permissions);
        return outputAddress | (key & (Descriptor.bytesMappedAt(level) - 1));
    }

    /**
     * Access rights of a leaf with the table attributes gathered above it, as a mask of
     * {@link Tlb#permissionBit} bits plus flags (ARM ARM D8.4, QEMU get_S1prot):
     * <ul>
     * <li>APTable[0] forces AP[1]=0 (no EL0 access), APTable[1] forces AP[2]=1 (read-only);
     *     UXNTable/PXNTable force UXN/PXN.</li>
     * <li>AP[2:1]: 00 EL1 RW; 01 EL1 and EL0 RW; 10 EL1 RO; 11 EL1 and EL0 RO.</li>
     * <li>EL0 may execute iff UXN=0, whatever AP[1] says (execute-only pages).</li>
     * <li>EL1 may not execute PXN pages, nor any page EL0 can write.</li>
     * <li>SCTLR.WXN: writable at an EL means not executable at that EL.</li>
     * </ul>
     */
    private int permissions(long desc, long tableAttrs, boolean hardwareDirty) {
        boolean el0Data = Descriptor.user(desc) && (tableAttrs & Descriptor.AP_TABLE_NO_EL0) == 0;
        boolean tableReadOnly = (tableAttrs & Descriptor.AP_TABLE_RDONLY) != 0;
        boolean readOnly = Descriptor.rdonly(desc) || tableReadOnly;
        boolean uxn = Descriptor.uxn(desc) || (tableAttrs & Descriptor.UXN_TABLE) != 0;
        boolean pxn = Descriptor.pxn(desc) || (tableAttrs & Descriptor.PXN_TABLE) != 0;
        boolean wxn = (sctlr & SCTLR_WXN) != 0;

        boolean el0Write = el0Data && !readOnly;
        boolean el1Write = !readOnly;
        boolean el0Exec = !uxn && !(wxn && el0Write);
        boolean el1Exec = !pxn && !el0Write && !(wxn && el1Write);

        int p = Tlb.permissionBit(AccessType.READ, 1);
        if (el1Write) p |= Tlb.permissionBit(AccessType.WRITE, 1);
        if (el1Exec) p |= Tlb.permissionBit(AccessType.EXECUTE, 1);
        if (el0Data) p |= Tlb.permissionBit(AccessType.READ, 0) | Tlb.FLAG_EL0_DATA;
        if (el0Write) p |= Tlb.permissionBit(AccessType.WRITE, 0);
        if (el0Exec) p |= Tlb.permissionBit(AccessType.EXECUTE, 0);
        if (hardwareDirty && Descriptor.dbm(desc) && Descriptor.rdonly(desc) && !tableReadOnly) {
            p |= Tlb.FLAG_DBM_WRITABLE;
        }
        return p;
    }

    private static GuestException fault(Fault.Kind kind, int level, long va, AccessType access, int el) {
        Fault f = new Fault(kind, level, va, access, el);
        return new GuestException(f.ec(), f.iss(), va, f);
    }
}
