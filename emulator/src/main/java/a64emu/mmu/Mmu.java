package a64emu.mmu;

import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage-1 VMSAv8-64 translation for the EL1&0 regime (ARM ARM D8), 4 KiB granule, with
 * an ASID-tagged micro-TLB and main {@link Tlb}. Descriptors are read from emulated {@link PhysicalMemory}
 * exactly as hardware reads them; the format lives in {@link Descriptor}, TCR fields in
 * {@link Tcr}.
 *
 * <p>{@link #translate} looks in the TLB first; a hit checks the cached, already
 * accumulated permissions and returns. A miss walks the tables in the order of the
 * architecture's fault priority (ARM ARM D8, reference §3, and the order QEMU's
 * {@code get_phys_addr_lpae} follows): VA range and EPD, then per level the table address
 * validity and next-table address size, then the leaf's encoding, output address size,
 * Access flag and Permission. Faults are thrown as {@link GuestException} carrying a
 * {@link Fault}.
 *
 * <p>Host cost: a TLB hit is {@link #translate}'s few lines, small enough for the JIT to
 * inline into every load and store; the rest (a miss, the walk, a permission problem) is
 * out of line. The walk does not throw: it records the fault and returns {@link #FAULT},
 * and {@code translate} throws it, so that the exception leaves from the instruction's own
 * compiled frame (the JVM unwinds each compiled frame a throw crosses at a cost of its own,
 * about a hundred nanoseconds a frame here).
 *
 * <p>What is implemented, and the choices made where the architecture leaves one:
 * <ul>
 * <li>4 KiB granule, 25- to 48-bit VA from TxSZ (out-of-range TxSZ clamps); 16 KiB and
 *     64 KiB granules are refused when TCR is written ({@link UnsupportedGranuleException}).</li>
 * <li>TTBR0/TTBR1 by VA[55] with the top-bits check, TBI0/TBI1, EPD0/EPD1, TCR.AS and
 *     TCR.A1; blocks at level 1 (1 GiB) and level 2 (2 MiB); hierarchical APTable,
 *     UXNTable, PXNTable unless TCR.HPDx; AP[2:1], UXN, PXN, WXN.</li>
 * <li>PAN ({@link #setPan}) for EL1 data accesses to EL0-accessible pages; the guest
 *     kernel's copy to and from user memory translates as an EL0 access (LDTR/STTR),
 *     which PAN does not restrict.</li>
 * <li>TCR.HA sets AF in memory on a walk; TCR.HD (only with HA) clears AP[2] of a DBM
 *     page on a write. Neither update is made when the access faults.</li>
 * <li>nG: non-global entries are tagged with the current ASID; global ones match all.</li>
 * <li>Address size faults: TTBR base (level 0), next-table address (that table's level)
 *     and output address (the leaf's level) against TCR.IPS bounded by the 48-bit PARange.</li>
 * <li>The Contiguous hint is ignored (each entry is cached on its own, see {@link Tlb}).</li>
 * <li>No stage 2, so S1PTW is always 0.</li>
 * </ul>
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
    /** What the walk returns when it faults (no physical address is negative); see {@link #pending}. */
    private static final long FAULT = -1;
    private static final long TOP_BYTE = 0xFFL << 56;

    private final PhysicalMemory ram;
    private final Tlb tlb;
    /** The JIT's host TLB, or null (see {@link #hostTlb()}). */
    private HostTlb hostTlb;

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

    /** --tlb-check: re-walk on every TLB hit and report disagreements; null when off. */
    private StaleTranslation.Listener tlbCheck;
    // What the last side-effect-free walk found before its permission check.
    private long probePa;
    private int probePermissions;
    private boolean probeGlobal;
    /** The fault the last walk that returned {@link #FAULT} found, for its caller to throw. */
    private GuestException pending;

    public Mmu(PhysicalMemory ram) {
        this(ram, new Tlb());
    }

    public Mmu(PhysicalMemory ram, Tlb tlb) {
        this.ram = ram;
        this.tlb = tlb;
    }

    /**
     * The JIT's host TLB over this MMU's TLB, made on first use (an interpreted run has none).
     * See {@link HostTlb} for why it never answers differently from the TLB.
     */
    public HostTlb hostTlb() {
        if (hostTlb == null) {
            hostTlb = new HostTlb(ram);
            hostTlb.setAsid(asid);
            hostTlb.setEnabled(tlbCheck == null);
            tlb.host = hostTlb;
        }
        return hostTlb;
    }

    /**
     * {@link #translate} of an EL0 access for translated code that missed in the host TLB:
     * the same answer, fault or counters, and on success the translation is entered in the
     * host TLB for the next access.
     */
    public long translateForHost(long va, AccessType access) {
        long pa = translate(va, access, 0);
        HostTlb h = hostTlb;
        if (h != null && h.caching()) {
            switch (access) {
                case READ -> h.fillRead(va, pa);
                case WRITE -> h.fillWrite(va, pa);
                default -> h.fillExec(va, pa);
            }
        }
        return pa;
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
        if (hostTlb != null) {
            hostTlb.flush();
        }
    }

    /**
     * @throws UnsupportedGranuleException if TG0 or TG1 selects a granule other than
     *         4 KiB (or a reserved encoding): a64emu implements the 4 KiB granule only
     */
    public void setTcr(long v) {
        for (boolean upper : new boolean[] {false, true}) {
            if (!Tcr.is4kGranule(v, upper)) {
                throw new UnsupportedGranuleException(v, upper);
            }
        }
        tcr = v;
        if (hostTlb != null) {
            hostTlb.flush();
        }
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
        if (hostTlb != null) {
            hostTlb.setAsid(asid);
        }
    }

    /** The ASID that tags non-global TLB entries now. */
    public int asid() {
        return asid;
    }

    /** AttrIndx -> MAIR_EL1 attribute byte (0xFF Normal WB, 0x00 Device-nGnRnE, ...). */
    public int memoryAttribute(int attrIndx) {
        return (int) (mair >>> (8 * attrIndx)) & 0xFF;
    }

    /**
     * Turns the TLB check on ({@code listener} non-null) or off. While on, every TLB hit
     * also walks the tables (without side effects or counters) and reports to
     * {@code listener} when the cached translation differs from what memory says: the
     * PA, the accumulated permissions or nG. The entry is still used, as hardware would.
     * Off, a hit costs one extra field test.
     */
    public void setTlbCheck(StaleTranslation.Listener listener) {
        tlbCheck = listener;
        if (hostTlb != null) {
            hostTlb.setEnabled(listener == null);
        }
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
        if (e >= 0 && tlbCheck == null) {
            int info = tlb.info(e);
            if ((info & Tlb.permissionBit(access, el)) != 0 && !panDenies(info, access, el)) {
                return tlb.physicalAddress(e, key);
            }
        }
        long pa = translateSlow(va, key, access, el, e);
        if (pa == FAULT) {
            throw takePending();
        }
        return pa;
    }

    /**
     * {@link #translate} past the common TLB hit: {@code e} is the TLB's answer for the
     * stripped VA {@code key} (-1 for a miss). Returns the PA, or {@link #FAULT}.
     */
    private long translateSlow(long va, long key, AccessType access, int el, int e) {
        if (e >= 0) {
            if (tlbCheck != null) {
                checkStale(va, key, access, el, e);
            }
            int info = tlb.info(e);
            if ((info & Tlb.permissionBit(access, el)) != 0 && !panDenies(info, access, el)) {
                return tlb.physicalAddress(e, key);
            }
            if (access == AccessType.WRITE && (info & Tlb.FLAG_DBM_WRITABLE) != 0) {
                // The cached entry predates the hardware dirty update: walk again so the
                // descriptor in memory gets AP[2] cleared (ARM ARM D8.4, hardware dirty state).
                return walk(va, key, access, el, null, false);
            }
            return raise(Fault.Kind.PERMISSION, tlb.level(e), va, access, el);
        }
        return walk(va, key, access, el, null, false);
    }

    private GuestException takePending() {
        GuestException g = pending;
        pending = null;
        return g;
    }

    /**
     * The --tlb-check comparison for a hit on entry {@code e}. The walk is made as a read
     * so that a DBM page's pending hardware dirty update does not count as a difference;
     * only the rights, the PA and nG are compared, not whether this access is allowed.
     */
    private void checkStale(long va, long key, AccessType access, int el, int e) {
        long cachedPa = tlb.physicalAddress(e, key);
        int cachedPermissions = tlb.info(e) & Tlb.PERMISSION_MASK;
        boolean cachedGlobal = tlb.isGlobal(e);
        Fault now = null;
        probePa = -1;
        probePermissions = 0;
        if (walk(va, key, AccessType.READ, 1, null, true) == FAULT) {
            GuestException g = takePending();
            if (g.fault == null || g.fault.kind() != Fault.Kind.PERMISSION) {
                now = g.fault;
            }
        }
        int nowPermissions = probePermissions & Tlb.PERMISSION_MASK;
        if (now != null || probePa != cachedPa || nowPermissions != cachedPermissions
                || probeGlobal != cachedGlobal) {
            tlbCheck.staleTranslation(new StaleTranslation(va, asid, access, el, cachedPa, cachedPermissions,
                    cachedGlobal, now == null ? probePa : -1, now == null ? nowPermissions : 0,
                    now == null && probeGlobal, now));
        }
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
        probePermissions = -1;
        try {
            long pa = enabled ? walk(va, stripTag(va), access, el, steps, true) : flat(va, access, el);
            if (pa == FAULT) {
                throw takePending();
            }
            return new TranslationTrace(va, upper, asid, inputSize, steps, pa, null, enabled ? probePermissions : -1);
        } catch (GuestException e) {
            return new TranslationTrace(va, upper, asid, inputSize, steps, -1, e.fault, probePermissions);
        }
    }

    /**
     * SCTLR.M=0: VA = PA. Only an address with bits at or above the implemented PA size
     * takes an Address size fault (ARM ARM D4.2.8). Below that, a PA with no RAM behind it
     * is answered by the memory system with a synchronous External abort (FSC 0x10), as
     * an access to non-existent memory is on the machines a64emu models.
     */
    private long flat(long va, AccessType access, int el) {
        if ((va >>> PA_RANGE_BITS) != 0) {
            throw fault(Fault.Kind.ADDRESS_SIZE, 0, va, access, el);
        }
        if (!ram.contains(va, 1)) {
            throw fault(Fault.Kind.EXTERNAL_ABORT, 0, va, access, el);
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
     * The table walk, in fault-priority order. Fills the TLB on success; on a fault returns
     * {@link #FAULT} with the fault in {@link #pending}. A {@code probe}
     * walk (debugger, --tlb-check) changes nothing: no TLB fill, no hardware AF or dirty
     * update, no counters; it leaves what it found in {@code probe*} and records each
     * descriptor in {@code trace} when one is given.
     */
    private long walk(long va, long key, AccessType access, int el, List<TranslationTrace.Step> trace,
                      boolean probe) {
        if (!probe) {
            tlb.countWalk();
        }
        boolean upper = (key & VA_BIT55) != 0;
        int txsz = Tcr.txsz(tcr, upper);
        int inputSize = Descriptor.inputSize(txsz);

        // VA[63:inputsize] (TBI: [55:inputsize], already normalised) must all equal VA[55];
        // the hole between the halves is a level 0 Translation fault (QEMU get_phys_addr_lpae
        // reports it at level 0 too).
        if ((key >> inputSize) != (upper ? -1L : 0L)) {
            return raise(Fault.Kind.TRANSLATION, 0, va, access, el);
        }
        // EPDx=1: walks of this half are disabled, a miss is a level 0 Translation fault.
        if (Tcr.epd(tcr, upper)) {
            return raise(Fault.Kind.TRANSLATION, 0, va, access, el);
        }
        // TG0/TG1 are 4 KiB: setTcr refuses the other granules (UnsupportedGranuleException).
        int outputSize = Tcr.outputSize(tcr, PA_RANGE_BITS);
        int level = Descriptor.startLevel(txsz);

        // Table base from TTBR.BADDR. A base beyond the output size is a level 0 Address
        // size fault; the low bits below the start table's size are RES0 (and bit 0 is CnP).
        long table = (upper ? ttbr1 : ttbr0) & TTBR_BADDR_MASK;
        if ((table >>> outputSize) != 0) {
            return raise(Fault.Kind.ADDRESS_SIZE, 0, va, access, el);
        }
        long startTableBytes = (long) Descriptor.startLevelEntries(txsz) * Descriptor.DESCRIPTOR_BYTES;
        table &= ~(startTableBytes - 1);

        boolean hierarchical = !Tcr.hpd(tcr, upper);
        long tableAttrs = 0;
        long descPa;
        long desc;
        while (true) {
            int index = Descriptor.index(key, level, txsz);
            descPa = table + (long) index * Descriptor.DESCRIPTOR_BYTES;
            // A walk access that no memory answers is a synchronous External abort on
            // the walk at this level (FSC 0x14+level). S1PTW stays 0: that ISS bit is for
            // stage 2 faults on a stage 1 walk, and there is no stage 2 here.
            if (!ram.contains(descPa, Descriptor.DESCRIPTOR_BYTES)) {
                return raise(Fault.Kind.EXTERNAL_ABORT_ON_WALK, level, va, access, el);
            }
            desc = ram.read64(descPa);
            if (trace != null) {
                trace.add(new TranslationTrace.Step(level, table, index, descPa, desc, tableAttrs));
            }
            if (!probe) {
                tlb.countWalkRead();
            }

            if (!Descriptor.isValid(desc)) {
                return raise(Fault.Kind.TRANSLATION, level, va, access, el);
            }
            if (!Descriptor.isTable(desc, level)) {
                break;
            }
            long next = Descriptor.nextTable(desc);
            if ((next >>> outputSize) != 0) {
                return raise(Fault.Kind.ADDRESS_SIZE, level, va, access, el);
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
            return raise(Fault.Kind.TRANSLATION, level, va, access, el);
        }
        long outputAddress = Descriptor.outputAddress(desc, level);
        if ((outputAddress >>> outputSize) != 0) {
            return raise(Fault.Kind.ADDRESS_SIZE, level, va, access, el);
        }

        long updated = desc;
        boolean hardwareDirty = Tcr.hardwareDirty(tcr);
        // AF=0: Access flag fault, unless TCR.HA lets the walker set AF itself. Checked
        // before Permission (reference §3 priority).
        if (!Descriptor.af(desc)) {
            if (!Tcr.hardwareAccessFlag(tcr)) {
                return raise(Fault.Kind.ACCESS_FLAG, level, va, access, el);
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
        long pa = outputAddress | (key & (Descriptor.bytesMappedAt(level) - 1));
        if (probe) {
            probePa = pa;
            probePermissions = permissions;
            probeGlobal = global;
        }
        if ((permissions & Tlb.permissionBit(access, el)) == 0 || panDenies(permissions, access, el)) {
            // Entries that give Permission faults may be cached (only Translation and
            // Access flag results may not); a hardware AF/dirty update is not made when
            // the access faults, so cache the descriptor as memory holds it.
            if (Descriptor.af(desc) && !probe) {
                tlb.insert(key, level, outputAddress, asid, global,
                        permissions(desc, tableAttrs, hardwareDirty));
            }
            return raise(Fault.Kind.PERMISSION, level, va, access, el);
        }
        if (probe) {
            return pa;
        }
        if (updated != desc) {
            ram.write64(descPa, updated);
        }
        tlb.insert(key, level, outputAddress, asid, global, permissions);
        return pa;
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
        // With HA and HD, a DBM descriptor has the effective value of AP[2] cleared for the
        // execute rules (ASL AArch64.S1ApplyOutputPerms): a clean DBM page counts as
        // writable, so EL1 may not execute it if EL0 can write it, and WXN applies. The
        // write permission bits stay as stored so a write re-walks and clears AP[2].
        boolean dbmWritable = hardwareDirty && Descriptor.dbm(desc) && !tableReadOnly;
        boolean writableForExec = el1Write || dbmWritable;
        boolean el0WritableForExec = el0Data && writableForExec;
        boolean el0Exec = !uxn && !(wxn && el0WritableForExec);
        boolean el1Exec = !pxn && !el0WritableForExec && !(wxn && writableForExec);

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

    /** Records a fault for the caller of the walk to throw; returns {@link #FAULT}. */
    private long raise(Fault.Kind kind, int level, long va, AccessType access, int el) {
        pending = fault(kind, level, va, access, el);
        return FAULT;
    }

    private static GuestException fault(Fault.Kind kind, int level, long va, AccessType access, int el) {
        Fault f = new Fault(kind, level, va, access, el);
        return new GuestException(f.ec(), f.iss(), va, f);
    }
}
