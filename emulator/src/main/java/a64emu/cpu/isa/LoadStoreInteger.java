package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;
import a64emu.mmu.AccessType;
import a64emu.mmu.Fault;

import java.util.List;

/**
 * A64 "Loads and Stores" (ARM ARM C4.1.88, op0 = x1x0) for the general-purpose
 * registers (V = 0): exclusive and ordered accesses, literal loads, register pairs and
 * single registers with every addressing mode. The SIMD&amp;FP forms (V = 1) live with the
 * FP/SIMD instructions.
 *
 * <p>Single-register entries keep size (z) and opc (o) as fields: opc 00 store,
 * 01 load zero-extended, 10 load sign-extended to 64 bits, 11 load sign-extended to 32
 * bits; size 00/01/10/11 gives the B/H/W/X forms (STRB, LDRSH, ...). Pair entries keep
 * opc (o): 00 W registers, 01 LDPSW, 10 X registers.
 *
 * <p>Every exception is raised before any register changes: addresses are computed, and
 * all loads done, before the destination and the written-back base are updated.
 *
 * <p>Fields: z = size, o = opc, i = imm, t = Rt, u = Rt2, n = Rn, m = Rm, s = Rs,
 * x = option, S = S.
 */
public final class LoadStoreInteger {
    private LoadStoreInteger() {}

    public static final List<Encoding> ENCODINGS = List.of(
            //           3         2         1         0
            //          10987654321098765432109876543210
            // Exclusive, acquire/release (size 001000 o2 L o1 Rs o0 Rt2 Rn Rt). Unused Rs and
            // Rt2 fields are should-be-one; like QEMU (and hardware) we ignore their value.
            Encoding.of("STXR",   "zz001000000sssss0-----nnnnnttttt", LoadStoreInteger::storeExclusive),
            Encoding.of("STLXR",  "zz001000000sssss1-----nnnnnttttt", LoadStoreInteger::storeExclusive),
            Encoding.of("LDXR",   "zz001000010-----0-----nnnnnttttt", LoadStoreInteger::loadExclusive),
            Encoding.of("LDAXR",  "zz001000010-----1-----nnnnnttttt", LoadStoreInteger::loadExclusive),
            Encoding.of("STXP",   "1z001000001sssss0uuuuunnnnnttttt", LoadStoreInteger::storeExclusivePair),
            Encoding.of("STLXP",  "1z001000001sssss1uuuuunnnnnttttt", LoadStoreInteger::storeExclusivePair),
            Encoding.of("LDXP",   "1z001000011-----0uuuuunnnnnttttt", LoadStoreInteger::loadExclusivePair),
            Encoding.of("LDAXP",  "1z001000011-----1uuuuunnnnnttttt", LoadStoreInteger::loadExclusivePair),
            Encoding.of("STLLR",  "zz001000100-----0-----nnnnnttttt", LoadStoreInteger::storeOrdered),
            Encoding.of("STLR",   "zz001000100-----1-----nnnnnttttt", LoadStoreInteger::storeOrdered),
            Encoding.of("LDLAR",  "zz001000110-----0-----nnnnnttttt", LoadStoreInteger::loadOrdered),
            Encoding.of("LDAR",   "zz001000110-----1-----nnnnnttttt", LoadStoreInteger::loadOrdered),
            Encoding.of("LDAPR",  "zz11100010111111110000nnnnnttttt", LoadStoreInteger::loadOrdered),
            // FEAT_LRCPC2: load-acquire RCpc / store-release with an unscaled offset.
            Encoding.of("STLUR",    "zz011001000iiiiiiiii00nnnnnttttt", LoadStoreInteger::orderedUnscaled),
            Encoding.of("LDAPUR",   "zz011001010iiiiiiiii00nnnnnttttt", LoadStoreInteger::orderedUnscaled),
            Encoding.of("LDAPURS_X", "zz011001100iiiiiiiii00nnnnnttttt", LoadStoreInteger::orderedUnscaled),
            Encoding.of("LDAPURS_W", "zz011001110iiiiiiiii00nnnnnttttt", LoadStoreInteger::orderedUnscaled),

            // Load register (literal)
            Encoding.of("LDR_LIT_W", "00011000iiiiiiiiiiiiiiiiiiittttt", LoadStoreInteger::loadLiteralW),
            Encoding.of("LDR_LIT_X", "01011000iiiiiiiiiiiiiiiiiiittttt", LoadStoreInteger::loadLiteralX),
            Encoding.of("LDRSW_LIT", "10011000iiiiiiiiiiiiiiiiiiittttt", LoadStoreInteger::loadLiteralSignedW),
            Encoding.of("PRFM_LIT",  "11011000iiiiiiiiiiiiiiiiiiittttt", LoadStoreInteger::prefetch),

            // Register pairs (opc 101 0 idx L imm7 Rt2 Rn Rt): idx 000 non-temporal,
            // 001 post-index, 010 signed offset, 011 pre-index.
            Encoding.of("STNP",     "oo10100000iiiiiiiuuuuunnnnnttttt", LoadStoreInteger::storePairOffset),
            Encoding.of("LDNP",     "oo10100001iiiiiiiuuuuunnnnnttttt", LoadStoreInteger::loadPairOffset),
            Encoding.of("STP_POST", "oo10100010iiiiiiiuuuuunnnnnttttt", LoadStoreInteger::storePairPost),
            Encoding.of("LDP_POST", "oo10100011iiiiiiiuuuuunnnnnttttt", LoadStoreInteger::loadPairPost),
            Encoding.of("STP_OFF",  "oo10100100iiiiiiiuuuuunnnnnttttt", LoadStoreInteger::storePairOffset),
            Encoding.of("LDP_OFF",  "oo10100101iiiiiiiuuuuunnnnnttttt", LoadStoreInteger::loadPairOffset),
            Encoding.of("STP_PRE",  "oo10100110iiiiiiiuuuuunnnnnttttt", LoadStoreInteger::storePairPre),
            Encoding.of("LDP_PRE",  "oo10100111iiiiiiiuuuuunnnnnttttt", LoadStoreInteger::loadPairPre),

            // Single register, unscaled signed 9-bit offset (LDUR...), post-index,
            // unprivileged (LDTR...), pre-index; then unsigned scaled 12-bit offset and
            // register offset.
            Encoding.of("STUR",      "zz111000000iiiiiiiii00nnnnnttttt", LoadStoreInteger::unscaled),
            Encoding.of("LDUR",      "zz111000010iiiiiiiii00nnnnnttttt", LoadStoreInteger::unscaled),
            Encoding.of("LDURS_X",   "zz111000100iiiiiiiii00nnnnnttttt", LoadStoreInteger::unscaled),
            Encoding.of("LDURS_W",   "zz111000110iiiiiiiii00nnnnnttttt", LoadStoreInteger::unscaled),
            Encoding.of("PRFUM",     "11111000100iiiiiiiii00nnnnnttttt", LoadStoreInteger::prefetch),
            Encoding.of("STR_POST",  "zz111000000iiiiiiiii01nnnnnttttt", LoadStoreInteger::postIndex),
            Encoding.of("LDR_POST",  "zz111000010iiiiiiiii01nnnnnttttt", LoadStoreInteger::postIndex),
            Encoding.of("LDRS_X_POST", "zz111000100iiiiiiiii01nnnnnttttt", LoadStoreInteger::postIndex),
            Encoding.of("LDRS_W_POST", "zz111000110iiiiiiiii01nnnnnttttt", LoadStoreInteger::postIndex),
            // EL0 accesses are already unprivileged, so LDTR/STTR behave as LDUR/STUR.
            Encoding.of("STTR",      "zz111000000iiiiiiiii10nnnnnttttt", LoadStoreInteger::unscaled),
            Encoding.of("LDTR",      "zz111000010iiiiiiiii10nnnnnttttt", LoadStoreInteger::unscaled),
            Encoding.of("LDTRS_X",   "zz111000100iiiiiiiii10nnnnnttttt", LoadStoreInteger::unscaled),
            Encoding.of("LDTRS_W",   "zz111000110iiiiiiiii10nnnnnttttt", LoadStoreInteger::unscaled),
            Encoding.of("STR_PRE",   "zz111000000iiiiiiiii11nnnnnttttt", LoadStoreInteger::preIndex),
            Encoding.of("LDR_PRE",   "zz111000010iiiiiiiii11nnnnnttttt", LoadStoreInteger::preIndex),
            Encoding.of("LDRS_X_PRE", "zz111000100iiiiiiiii11nnnnnttttt", LoadStoreInteger::preIndex),
            Encoding.of("LDRS_W_PRE", "zz111000110iiiiiiiii11nnnnnttttt", LoadStoreInteger::preIndex),
            Encoding.of("STR_UIMM",  "zz11100100iiiiiiiiiiiinnnnnttttt", LoadStoreInteger::unsignedOffset),
            Encoding.of("LDR_UIMM",  "zz11100101iiiiiiiiiiiinnnnnttttt", LoadStoreInteger::unsignedOffset),
            Encoding.of("LDRS_X_UIMM", "zz11100110iiiiiiiiiiiinnnnnttttt", LoadStoreInteger::unsignedOffset),
            Encoding.of("LDRS_W_UIMM", "zz11100111iiiiiiiiiiiinnnnnttttt", LoadStoreInteger::unsignedOffset),
            Encoding.of("PRFM_UIMM", "1111100110iiiiiiiiiiiinnnnnttttt", LoadStoreInteger::prefetch),
            Encoding.of("STR_REG",   "zz111000001mmmmmxxxS10nnnnnttttt", LoadStoreInteger::registerOffset),
            Encoding.of("LDR_REG",   "zz111000011mmmmmxxxS10nnnnnttttt", LoadStoreInteger::registerOffset),
            Encoding.of("LDRS_X_REG", "zz111000101mmmmmxxxS10nnnnnttttt", LoadStoreInteger::registerOffset),
            Encoding.of("LDRS_W_REG", "zz111000111mmmmmxxxS10nnnnnttttt", LoadStoreInteger::registerOffset),
            Encoding.of("PRFM_REG",  "11111000101mmmmmxxxS10nnnnnttttt", LoadStoreInteger::prefetchRegister));

    /**
     * SCTLR_EL1.SA0 (bit 4): SP alignment checking at EL0 (ARM ARM D1.8.2). Linux sets it
     * for user space.
     */
    public static final long SCTLR_SA0 = 1L << 4;

    private static int rt(int word) {
        return word & 31;
    }

    private static int rn(int word) {
        return (word >>> 5) & 31;
    }

    private static int rt2(int word) {
        return (word >>> 10) & 31;
    }

    private static int rs(int word) {
        return (word >>> 16) & 31;
    }

    /**
     * The base register value. With SP as the base and SCTLR_EL1.SA0 set, SP must be
     * 16-byte aligned or the access takes an SP alignment fault before anything else.
     */
    public static long base(Cpu cpu, int n) {
        return n != 31 ? cpu.x[n] : checkedSp(cpu, cpu.sp);
    }

    /** {@code sp} as a base address: an SP alignment fault when misaligned under SCTLR_EL1.SA0. */
    public static long checkedSp(Cpu cpu, long sp) {
        if ((sp & 15) != 0 && (cpu.mmu.sctlr() & SCTLR_SA0) != 0) {
            throw new GuestException(Esr.EC_SP_ALIGN, 0, 0, null);
        }
        return sp;
    }

    // ---- Sized memory access ----------------------------------------------------------------------

    /** Loads 1 &lt;&lt; size bytes, zero-extended. */
    public static long load(Cpu cpu, int size, long va) {
        return switch (size) {
            case 0 -> cpu.read8(va);
            case 1 -> cpu.read16(va);
            case 2 -> cpu.read32(va);
            default -> cpu.read64(va);
        };
    }

    public static void store(Cpu cpu, int size, long va, long value) {
        switch (size) {
            case 0 -> cpu.write8(va, value);
            case 1 -> cpu.write16(va, value);
            case 2 -> cpu.write32(va, value);
            default -> cpu.write64(va, value);
        }
    }

    /** opc 10 with size 11 (outside PRFM's slots) and opc 11 with size 1x are unallocated. */
    private static void checkSizeOpc(int size, int opc) {
        if ((opc == 2 && size == 3) || (opc == 3 && size >= 2)) {
            throw GuestException.undefined();
        }
    }

    /** The single-register transfer selected by opc, at {@code va}. */
    private static void transfer(Cpu cpu, int size, int opc, int t, long va) {
        if (opc == 0) {
            store(cpu, size, va, cpu.x[t]);
            return;
        }
        long value = load(cpu, size, va);
        if (opc == 2) {
            value = Alu.signExtend(value, 8 << size);
        } else if (opc == 3) {
            value = Alu.signExtend(value, 8 << size) & 0xFFFF_FFFFL;
        }
        cpu.setX(t, value);
    }

    private static long simm9(int word) {
        return (word << 11) >> 23;
    }

    // ---- Single register --------------------------------------------------------------------------

    public static void unscaled(Cpu cpu, int word) {
        int size = word >>> 30;
        int opc = (word >>> 22) & 3;
        checkSizeOpc(size, opc);
        transfer(cpu, size, opc, rt(word), base(cpu, rn(word)) + simm9(word));
        cpu.pc += 4;
    }

    public static void postIndex(Cpu cpu, int word) {
        int size = word >>> 30;
        int opc = (word >>> 22) & 3;
        checkSizeOpc(size, opc);
        int n = rn(word);
        long address = base(cpu, n);
        transfer(cpu, size, opc, rt(word), address);
        cpu.setXOrSp(n, address + simm9(word));
        cpu.pc += 4;
    }

    public static void preIndex(Cpu cpu, int word) {
        int size = word >>> 30;
        int opc = (word >>> 22) & 3;
        checkSizeOpc(size, opc);
        int n = rn(word);
        long address = base(cpu, n) + simm9(word);
        transfer(cpu, size, opc, rt(word), address);
        cpu.setXOrSp(n, address);
        cpu.pc += 4;
    }

    public static void unsignedOffset(Cpu cpu, int word) {
        int size = word >>> 30;
        int opc = (word >>> 22) & 3;
        checkSizeOpc(size, opc);
        long offset = (long) ((word >>> 10) & 0xFFF) << size;
        transfer(cpu, size, opc, rt(word), base(cpu, rn(word)) + offset);
        cpu.pc += 4;
    }

    /** Register offset: Xm/Wm extended by option (option&lt;1&gt; = 0 is reserved), shifted by size if S. */
    public static void registerOffset(Cpu cpu, int word) {
        int size = word >>> 30;
        int opc = (word >>> 22) & 3;
        checkSizeOpc(size, opc);
        int option = (word >>> 13) & 7;
        if ((option & 2) == 0) {
            throw GuestException.undefined();
        }
        int shift = (word & (1 << 12)) != 0 ? size : 0;
        long offset = Alu.extend(cpu.x[(word >>> 16) & 31], option, shift);
        transfer(cpu, size, opc, rt(word), base(cpu, rn(word)) + offset);
        cpu.pc += 4;
    }

    /** PRFM (register): the offset's option field is still decoded, so option&lt;1&gt; = 0 is reserved. */
    public static void prefetchRegister(Cpu cpu, int word) {
        if ((word & (1 << 14)) == 0) {
            throw GuestException.undefined();
        }
        cpu.pc += 4;
    }

    /**
     * PRFM/PRFUM in all forms: prefetch hints have no architectural effect and never
     * fault (ARM ARM C6.2 PRFM), so not even the address is checked.
     */
    public static void prefetch(Cpu cpu, int word) {
        cpu.pc += 4;
    }

    // ---- Literal ------------------------------------------------------------------------------------

    private static long literalAddress(Cpu cpu, int word) {
        return cpu.pc + BranchExceptionSystem.imm19Offset(word);
    }

    public static void loadLiteralW(Cpu cpu, int word) {
        cpu.setX(rt(word), cpu.read32(literalAddress(cpu, word)));
        cpu.pc += 4;
    }

    public static void loadLiteralX(Cpu cpu, int word) {
        cpu.setX(rt(word), cpu.read64(literalAddress(cpu, word)));
        cpu.pc += 4;
    }

    public static void loadLiteralSignedW(Cpu cpu, int word) {
        cpu.setX(rt(word), (int) cpu.read32(literalAddress(cpu, word)));
        cpu.pc += 4;
    }

    // ---- Pairs ----------------------------------------------------------------------------------------

    private static final int PAIR_OFFSET = 0;
    private static final int PAIR_POST = 1;
    private static final int PAIR_PRE = 2;

    /**
     * LDP/STP/LDNP/STNP/LDPSW: opc 00 W pair (imm7 * 4), 01 LDPSW (loads only, no
     * non-temporal form; the store slot is STGP from FEAT_MTE), 10 X pair (imm7 * 8),
     * 11 unallocated.
     */
    private static void pair(Cpu cpu, int word, boolean load, int mode) {
        int opc = word >>> 30;
        boolean nonTemporal = ((word >>> 23) & 7) == 0;
        if (opc == 3 || (opc == 1 && (!load || nonTemporal))) {
            throw GuestException.undefined();
        }
        int size = opc == 2 ? 3 : 2;
        long offset = (long) ((word << 10) >> 25) << size;
        int n = rn(word);
        int t = rt(word);
        int t2 = rt2(word);
        long base = base(cpu, n);
        long address = mode == PAIR_POST ? base : base + offset;
        int bytes = 1 << size;
        if (load) {
            long first = load(cpu, size, address);
            long second = load(cpu, size, address + bytes);
            if (opc == 1) {
                first = (int) first;
                second = (int) second;
            }
            cpu.setX(t, first);
            cpu.setX(t2, second);
        } else {
            long first = cpu.x[t];
            long second = cpu.x[t2];
            store(cpu, size, address, first);
            store(cpu, size, address + bytes, second);
        }
        if (mode != PAIR_OFFSET) {
            cpu.setXOrSp(n, base + offset);
        }
        cpu.pc += 4;
    }

    public static void storePairOffset(Cpu cpu, int word) {
        pair(cpu, word, false, PAIR_OFFSET);
    }

    public static void loadPairOffset(Cpu cpu, int word) {
        pair(cpu, word, true, PAIR_OFFSET);
    }

    public static void storePairPost(Cpu cpu, int word) {
        pair(cpu, word, false, PAIR_POST);
    }

    public static void loadPairPost(Cpu cpu, int word) {
        pair(cpu, word, true, PAIR_POST);
    }

    public static void storePairPre(Cpu cpu, int word) {
        pair(cpu, word, false, PAIR_PRE);
    }

    public static void loadPairPre(Cpu cpu, int word) {
        pair(cpu, word, true, PAIR_PRE);
    }

    // ---- Exclusive and ordered ------------------------------------------------------------------------

    /**
     * The address of an exclusive or ordered access, which must be aligned to the whole
     * access size (ARM ARM B2.5.2; without FEAT_LSE2 also for load-acquire/store-release):
     * otherwise an Alignment fault, raised before translation.
     */
    private static long alignedAddress(Cpu cpu, int n, int bytes, AccessType access) {
        long va = base(cpu, n);
        checkAligned(va, bytes, access);
        return va;
    }

    private static void checkAligned(long va, int bytes, AccessType access) {
        if ((va & (bytes - 1)) != 0) {
            Fault f = new Fault(Fault.Kind.ALIGNMENT, -1, va, access, 0);
            throw new GuestException(f.ec(), f.iss(), va, f);
        }
    }

    /** LDXR/LDAXR: load and mark the physical address as exclusive in the local monitor. */
    public static void loadExclusive(Cpu cpu, int word) {
        int size = word >>> 30;
        int bytes = 1 << size;
        long va = alignedAddress(cpu, rn(word), bytes, AccessType.READ);
        long pa = cpu.mmu.translate(va, AccessType.READ);
        long value = load(cpu, size, va);
        cpu.setX(rt(word), value);
        cpu.exclusiveAddress = pa;
        cpu.exclusiveSize = bytes;
        cpu.pc += 4;
    }

    /**
     * Whether a store-exclusive at {@code va} passes the local monitor. The address is
     * translated as a store first, so a store-exclusive to an unmapped or read-only page
     * faults whether or not the monitor would have passed; the monitor is cleared either
     * way (ARM ARM B2.9.5). A store-exclusive of another size to the tagged address may
     * pass or fail (CONSTRAINED UNPREDICTABLE); like QEMU, and like hardware that tags a
     * whole reservation granule, we compare the address only.
     */
    private static boolean exclusiveMonitorsPass(Cpu cpu, long va) {
        long pa = cpu.mmu.translate(va, AccessType.WRITE);
        boolean pass = cpu.exclusiveAddress == pa;
        cpu.clearExclusive();
        return pass;
    }

    /** STXR/STLXR: Ws receives 0 if the store happened, 1 if the monitor had been lost. */
    public static void storeExclusive(Cpu cpu, int word) {
        int size = word >>> 30;
        int bytes = 1 << size;
        long va = alignedAddress(cpu, rn(word), bytes, AccessType.WRITE);
        long value = cpu.x[rt(word)];
        boolean pass = exclusiveMonitorsPass(cpu, va);
        if (pass) {
            store(cpu, size, va, value);
        }
        cpu.setX(rs(word), pass ? 0 : 1);
        cpu.pc += 4;
    }

    /** LDXP/LDAXP: a single-copy atomic pair, aligned to the pair size (8 or 16 bytes). */
    public static void loadExclusivePair(Cpu cpu, int word) {
        boolean sf = ((word >>> 30) & 1) != 0;
        int bytes = sf ? 16 : 8;
        long va = alignedAddress(cpu, rn(word), bytes, AccessType.READ);
        long pa = cpu.mmu.translate(va, AccessType.READ);
        long first;
        long second;
        if (sf) {
            first = cpu.read64(va);
            second = cpu.read64(va + 8);
        } else {
            long both = cpu.read64(va);
            first = both & 0xFFFF_FFFFL;
            second = both >>> 32;
        }
        cpu.setX(rt(word), first);
        cpu.setX(rt2(word), second);
        cpu.exclusiveAddress = pa;
        cpu.exclusiveSize = bytes;
        cpu.pc += 4;
    }

    public static void storeExclusivePair(Cpu cpu, int word) {
        boolean sf = ((word >>> 30) & 1) != 0;
        int bytes = sf ? 16 : 8;
        long va = alignedAddress(cpu, rn(word), bytes, AccessType.WRITE);
        long first = cpu.x[rt(word)];
        long second = cpu.x[rt2(word)];
        boolean pass = exclusiveMonitorsPass(cpu, va);
        if (pass) {
            if (sf) {
                cpu.write64(va, first);
                cpu.write64(va + 8, second);
            } else {
                cpu.write64(va, (first & 0xFFFF_FFFFL) | (second << 32));
            }
        }
        cpu.setX(rs(word), pass ? 0 : 1);
        cpu.pc += 4;
    }

    /** LDAR/LDLAR/LDAPR: ordinary loads on one in-order PE, but alignment-checked. */
    public static void loadOrdered(Cpu cpu, int word) {
        int size = word >>> 30;
        long va = alignedAddress(cpu, rn(word), 1 << size, AccessType.READ);
        cpu.setX(rt(word), load(cpu, size, va));
        cpu.pc += 4;
    }

    /** STLUR/LDAPUR/LDAPURS*: opc as for LDUR; ordered, hence alignment-checked. */
    public static void orderedUnscaled(Cpu cpu, int word) {
        int size = word >>> 30;
        int opc = (word >>> 22) & 3;
        checkSizeOpc(size, opc);
        long va = base(cpu, rn(word)) + simm9(word);
        checkAligned(va, 1 << size, opc == 0 ? AccessType.WRITE : AccessType.READ);
        transfer(cpu, size, opc, rt(word), va);
        cpu.pc += 4;
    }

    /** STLR/STLLR. */
    public static void storeOrdered(Cpu cpu, int word) {
        int size = word >>> 30;
        long va = alignedAddress(cpu, rn(word), 1 << size, AccessType.WRITE);
        store(cpu, size, va, cpu.x[rt(word)]);
        cpu.pc += 4;
    }
}
