package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;

import java.util.List;

/**
 * Loads and stores of SIMD&amp;FP registers (ARM ARM C4.1.4, the encodings with V=1):
 * LDR/STR of B/H/S/D/Q registers in every addressing mode, LDP/STP/LDNP/STNP of S/D/Q,
 * and the Advanced SIMD structure loads and stores LD1-LD4/ST1-ST4 (multiple
 * structures, single lane) and LD1R-LD4R, each with and without post-index.
 *
 * <p>Every access completes its translations before any register or base write-back
 * changes, so a faulting instruction can be restarted: loads gather into temporaries,
 * and stores probe the pages they touch before writing the first byte.
 */
public final class LoadStoreSimdFp {
    private LoadStoreSimdFp() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("LDR_STR_SIMD_UIMM", "ss111101ooiiiiiiiiiiiinnnnnttttt", LoadStoreSimdFp::unsignedOffset),
            Encoding.of("LDUR_STUR_SIMD", "ss111100oo0iiiiiiiii00nnnnnttttt", LoadStoreSimdFp::unscaled),
            Encoding.of("LDR_STR_SIMD_POST", "ss111100oo0iiiiiiiii01nnnnnttttt", LoadStoreSimdFp::postIndex),
            Encoding.of("LDR_STR_SIMD_PRE", "ss111100oo0iiiiiiiii11nnnnnttttt", LoadStoreSimdFp::preIndex),
            Encoding.of("LDR_STR_SIMD_REG", "ss111100oo1mmmmmxxxS10nnnnnttttt", LoadStoreSimdFp::registerOffset),
            Encoding.of("LDR_SIMD_LIT", "oo011100iiiiiiiiiiiiiiiiiiittttt", LoadStoreSimdFp::literal),
            Encoding.of("LDNP_STNP_SIMD", "oo1011000Liiiiiiiuuuuunnnnnttttt", LoadStoreSimdFp::pairOffset),
            Encoding.of("LDP_STP_SIMD_POST", "oo1011001Liiiiiiiuuuuunnnnnttttt", LoadStoreSimdFp::pairPost),
            Encoding.of("LDP_STP_SIMD_OFF", "oo1011010Liiiiiiiuuuuunnnnnttttt", LoadStoreSimdFp::pairOffset),
            Encoding.of("LDP_STP_SIMD_PRE", "oo1011011Liiiiiiiuuuuunnnnnttttt", LoadStoreSimdFp::pairPre),
            Encoding.of("LDST_MULTIPLE", "0q0011000L000000ooooeennnnnttttt", LoadStoreSimdFp::multiple),
            Encoding.of("LDST_MULTIPLE_POST", "0q0011001L0mmmmmooooeennnnnttttt", LoadStoreSimdFp::multiplePost),
            Encoding.of("LDST_SINGLE", "0q0011010LR00000oooSeennnnnttttt", LoadStoreSimdFp::single),
            Encoding.of("LDST_SINGLE_POST", "0q0011011LRmmmmmoooSeennnnnttttt", LoadStoreSimdFp::singlePost));

    // ---- addressing -------------------------------------------------------------------------

    /** The base register value, SP checked for alignment: the integer loads' {@link LoadStoreInteger#base}. */
    static long base(Cpu cpu, int n) {
        return LoadStoreInteger.base(cpu, n);
    }

    /**
     * Translates the first and last page a store of {@code length} bytes touches, so that
     * a store that faults part-way has written nothing.
     */
    public static void probeWrite(Cpu cpu, long va, int length) {
        long last = va + length - 1;
        if ((va & ~PhysicalMemory.FRAME_MASK) != (last & ~PhysicalMemory.FRAME_MASK)) {
            cpu.mmu.translate(va, AccessType.WRITE);
            cpu.mmu.translate(last, AccessType.WRITE);
        }
    }

    private static long read(Cpu cpu, long va, int bytes) {
        switch (bytes) {
            case 1:
                return cpu.read8(va);
            case 2:
                return cpu.read16(va);
            case 4:
                return cpu.read32(va);
            default:
                return cpu.read64(va);
        }
    }

    private static void write(Cpu cpu, long va, int bytes, long value) {
        switch (bytes) {
            case 1:
                cpu.write8(va, value);
                break;
            case 2:
                cpu.write16(va, value);
                break;
            case 4:
                cpu.write32(va, value);
                break;
            default:
                cpu.write64(va, value);
                break;
        }
    }

    /** Loads a B/H/S/D (scale 0-3) or Q (scale 4) register; smaller writes zero the rest. */
    private static void loadRegister(Cpu cpu, int t, long va, int scale) {
        if (scale == 4) {
            long lo = cpu.read64(va);
            long hi = cpu.read64(va + 8);
            Vectors.writeQ(cpu, t, lo, hi);
        } else {
            Vectors.writeScalar(cpu, t, read(cpu, va, 1 << scale));
        }
    }

    private static void storeRegister(Cpu cpu, int t, long va, int scale) {
        if (scale == 4) {
            probeWrite(cpu, va, 16);
            long hi = cpu.v[2 * t + 1];
            cpu.write64(va, cpu.v[2 * t]);
            cpu.write64(va + 8, hi);
        } else {
            write(cpu, va, 1 << scale, cpu.v[2 * t]);
        }
    }

    /** Access size log2 from size (31:30) and opc<1> (23): 0-3 for B-D, 4 for Q (size 00, opc 1x). */
    private static int scale(int word) {
        int scale = ((word >>> 21) & 4) | (word >>> 30);
        if (scale > 4) {
            throw GuestException.undefined();
        }
        return scale;
    }

    private static boolean isLoad(int word) {
        return ((word >>> 22) & 1) != 0;
    }

    private static void transfer(Cpu cpu, int word, long va, int scale) {
        int t = word & 31;
        if (isLoad(word)) {
            loadRegister(cpu, t, va, scale);
        } else {
            storeRegister(cpu, t, va, scale);
        }
    }

    // ---- single register --------------------------------------------------------------------

    /** LDR/STR (immediate, unsigned offset): imm12 scaled by the access size. */
    public static void unsignedOffset(Cpu cpu, int word) {
        int scale = scale(word);
        long offset = (long) ((word >>> 10) & 0xFFF) << scale;
        transfer(cpu, word, base(cpu, (word >>> 5) & 31) + offset, scale);
        cpu.pc += 4;
    }

    private static long imm9(int word) {
        return (word << 11) >> 23;
    }

    /** LDUR/STUR: signed unscaled 9-bit offset, no write-back. */
    public static void unscaled(Cpu cpu, int word) {
        int scale = scale(word);
        transfer(cpu, word, base(cpu, (word >>> 5) & 31) + imm9(word), scale);
        cpu.pc += 4;
    }

    public static void postIndex(Cpu cpu, int word) {
        int scale = scale(word);
        int n = (word >>> 5) & 31;
        long address = base(cpu, n);
        transfer(cpu, word, address, scale);
        cpu.setXOrSp(n, address + imm9(word));
        cpu.pc += 4;
    }

    public static void preIndex(Cpu cpu, int word) {
        int scale = scale(word);
        int n = (word >>> 5) & 31;
        long address = base(cpu, n) + imm9(word);
        transfer(cpu, word, address, scale);
        cpu.setXOrSp(n, address);
        cpu.pc += 4;
    }

    /** LDR/STR (register): Rm extended by option (UXTW, LSL, SXTW, SXTX), optionally scaled. */
    public static void registerOffset(Cpu cpu, int word) {
        int scale = scale(word);
        int option = (word >>> 13) & 7;
        if ((option & 2) == 0) {
            throw GuestException.undefined();
        }
        long rm = cpu.x[(word >>> 16) & 31];
        long offset = switch (option) {
            case 0b010 -> rm & 0xFFFF_FFFFL;
            case 0b110 -> (long) (int) rm;
            default -> rm;
        };
        if (((word >>> 12) & 1) != 0) {
            offset <<= scale;
        }
        transfer(cpu, word, base(cpu, (word >>> 5) & 31) + offset, scale);
        cpu.pc += 4;
    }

    /** LDR (literal): PC-relative; opc 00/01/10 load S/D/Q, 11 is unallocated. */
    public static void literal(Cpu cpu, int word) {
        int opc = word >>> 30;
        if (opc == 3) {
            throw GuestException.undefined();
        }
        long offset = (long) ((word << 8) >> 13) << 2;
        loadRegister(cpu, word & 31, cpu.pc + offset, opc + 2);
        cpu.pc += 4;
    }

    // ---- pairs ------------------------------------------------------------------------------

    public static void pairOffset(Cpu cpu, int word) {
        pair(cpu, word, false, false);
    }

    public static void pairPost(Cpu cpu, int word) {
        pair(cpu, word, true, true);
    }

    public static void pairPre(Cpu cpu, int word) {
        pair(cpu, word, true, false);
    }

    /** LDP/STP/LDNP/STNP: opc 00/01/10 = S/D/Q, imm7 scaled by the register size. */
    private static void pair(Cpu cpu, int word, boolean writeBack, boolean postIndex) {
        int opc = word >>> 30;
        if (opc == 3) {
            throw GuestException.undefined();
        }
        int scale = opc + 2;
        int size = 1 << scale;
        long offset = (long) ((word << 10) >> 25) << scale;
        int t = word & 31;
        int t2 = (word >>> 10) & 31;
        int n = (word >>> 5) & 31;
        long base = base(cpu, n);
        long address = postIndex ? base : base + offset;
        if (isLoad(word)) {
            // Both registers are read from memory before either is written: a fault on the
            // second leaves Vt unchanged.
            long firstLo;
            long firstHi = 0;
            long secondLo;
            long secondHi = 0;
            if (scale == 4) {
                firstLo = cpu.read64(address);
                firstHi = cpu.read64(address + 8);
                secondLo = cpu.read64(address + 16);
                secondHi = cpu.read64(address + 24);
            } else {
                firstLo = read(cpu, address, size);
                secondLo = read(cpu, address + size, size);
            }
            Vectors.writeQ(cpu, t, firstLo, firstHi);
            Vectors.writeQ(cpu, t2, secondLo, secondHi);
        } else {
            probeWrite(cpu, address, 2 * size);
            long firstLo = cpu.v[2 * t];
            long firstHi = cpu.v[2 * t + 1];
            long secondLo = cpu.v[2 * t2];
            long secondHi = cpu.v[2 * t2 + 1];
            if (scale == 4) {
                cpu.write64(address, firstLo);
                cpu.write64(address + 8, firstHi);
                cpu.write64(address + 16, secondLo);
                cpu.write64(address + 24, secondHi);
            } else {
                write(cpu, address, size, firstLo);
                write(cpu, address + size, size, secondLo);
            }
        }
        if (writeBack) {
            cpu.setXOrSp(n, base + offset);
        }
        cpu.pc += 4;
    }

    // ---- Advanced SIMD structures ---------------------------------------------------------------

    public static void multiple(Cpu cpu, int word) {
        multipleStructures(cpu, word, false);
    }

    public static void multiplePost(Cpu cpu, int word) {
        multipleStructures(cpu, word, true);
    }

    /**
     * LD1-LD4 / ST1-ST4 (multiple structures), ARM ARM C7.2 "LD1 (multiple structures)":
     * opcode selects the number of registers (rpt) and structure elements (selem);
     * structures are interleaved across consecutive registers, wrapping at V31.
     */
    private static void multipleStructures(Cpu cpu, int word, boolean post) {
        boolean q = ((word >>> 30) & 1) != 0;
        int opcode = (word >>> 12) & 0xF;
        int size = (word >>> 10) & 3;
        int t = word & 31;
        int n = (word >>> 5) & 31;
        int rpt;
        int selem;
        switch (opcode) {
            case 0b0000 -> { rpt = 1; selem = 4; }
            case 0b0010 -> { rpt = 4; selem = 1; }
            case 0b0100 -> { rpt = 1; selem = 3; }
            case 0b0110 -> { rpt = 3; selem = 1; }
            case 0b0111 -> { rpt = 1; selem = 1; }
            case 0b1000 -> { rpt = 1; selem = 2; }
            case 0b1010 -> { rpt = 2; selem = 1; }
            default -> throw GuestException.undefined();
        }
        if (size == 3 && !q && selem != 1) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        int ebytes = esize / 8;
        int elements = Vectors.lanes(q, esize);
        int regs = rpt * selem;
        int total = regs * elements * ebytes;
        long address = base(cpu, n);
        boolean load = isLoad(word);
        if (!load) {
            probeWrite(cpu, address, total);
        }
        if (load && !withinOnePage(address, total)) {
            // The loads must all succeed before any register changes; across a page boundary
            // a later element can fault after an earlier one, so the values are gathered first.
            loadMultipleGathered(cpu, t, address, q, esize, regs, selem, elements);
        } else if (selem == 1) {
            // LD1/ST1: each register is a contiguous block of memory whatever the element size.
            // (Within one page a load faults on its first access or not at all.)
            int regBytes = q ? 16 : 8;
            for (int r = 0; r < regs; r++) {
                int reg = (t + r) & 31;
                long va = address + (long) r * regBytes;
                if (load) {
                    long lo = cpu.read64(va);
                    long hi = q ? cpu.read64(va + 8) : 0;
                    Vectors.writeQ(cpu, reg, lo, hi);
                } else {
                    cpu.write64(va, cpu.v[2 * reg]);
                    if (q) {
                        cpu.write64(va + 8, cpu.v[2 * reg + 1]);
                    }
                }
            }
        } else {
            if (load) {
                for (int s = 0; s < selem; s++) {
                    Vectors.writeQ(cpu, (t + s) & 31, 0, 0);
                }
            }
            long va = address;
            for (int e = 0; e < elements; e++) {
                for (int s = 0; s < selem; s++) {
                    int reg = (t + s) & 31;
                    if (load) {
                        Vectors.setElement(cpu, reg, e, esize, read(cpu, va, ebytes));
                    } else {
                        write(cpu, va, ebytes, Vectors.element(cpu, reg, e, esize));
                    }
                    va += ebytes;
                }
            }
        }
        if (post) {
            int m = (word >>> 16) & 31;
            cpu.setXOrSp(n, address + (m == 31 ? total : cpu.x[m]));
        }
        cpu.pc += 4;
    }

    /** Whether {@code length} bytes from {@code va} lie in one page (translated once). */
    private static boolean withinOnePage(long va, int length) {
        return (va & ~PhysicalMemory.FRAME_MASK) == ((va + length - 1) & ~PhysicalMemory.FRAME_MASK);
    }

    /**
     * A multiple-structure load that crosses a page: every element is read before any of
     * the registers is written, so that a fault on the second page leaves them unchanged.
     */
    private static void loadMultipleGathered(Cpu cpu, int t, long address, boolean q, int esize, int regs,
            int selem, int elements) {
        long[][] values = new long[regs][2];
        int ebytes = esize / 8;
        if (selem == 1) {
            int regBytes = q ? 16 : 8;
            for (int r = 0; r < regs; r++) {
                long va = address + (long) r * regBytes;
                values[r][0] = cpu.read64(va);
                values[r][1] = q ? cpu.read64(va + 8) : 0;
            }
        } else {
            long va = address;
            for (int e = 0; e < elements; e++) {
                for (int s = 0; s < selem; s++) {
                    Vectors.set(values[s], e, esize, read(cpu, va, ebytes));
                    va += ebytes;
                }
            }
        }
        for (int r = 0; r < regs; r++) {
            Vectors.write(cpu, (t + r) & 31, values[r], q);
        }
    }

    public static void single(Cpu cpu, int word) {
        singleStructure(cpu, word, false);
    }

    public static void singlePost(Cpu cpu, int word) {
        singleStructure(cpu, word, true);
    }

    /**
     * LD1-LD4 / ST1-ST4 (single structure) and LD1R-LD4R, ARM ARM C7.2 "LD1 (single
     * structure)": opcode<2:1> gives the element size, opcode<0>:R the number of
     * registers, and Q:S:size the lane; the replicating loads fill every lane.
     */
    private static void singleStructure(Cpu cpu, int word, boolean post) {
        boolean q = ((word >>> 30) & 1) != 0;
        boolean load = isLoad(word);
        int opcode = (word >>> 13) & 7;
        int s = (word >>> 12) & 1;
        int size = (word >>> 10) & 3;
        int t = word & 31;
        int n = (word >>> 5) & 31;
        int qBit = q ? 1 : 0;
        int selem = (((opcode & 1) << 1) | ((word >>> 21) & 1)) + 1;
        int scale = opcode >>> 1;
        boolean replicate = false;
        int index = 0;
        switch (scale) {
            case 3 -> {
                if (!load || s != 0) {
                    throw GuestException.undefined();
                }
                scale = size;
                replicate = true;
            }
            case 0 -> index = (qBit << 3) | (s << 2) | size;
            case 1 -> {
                if ((size & 1) != 0) {
                    throw GuestException.undefined();
                }
                index = (qBit << 2) | (s << 1) | (size >>> 1);
            }
            default -> {
                if ((size & 2) != 0) {
                    throw GuestException.undefined();
                }
                if ((size & 1) == 0) {
                    index = (qBit << 1) | s;
                } else {
                    if (s != 0) {
                        throw GuestException.undefined();
                    }
                    index = qBit;
                    scale = 3;
                }
            }
        }
        int esize = 8 << scale;
        int ebytes = 1 << scale;
        long address = base(cpu, n);
        if (!load) {
            probeWrite(cpu, address, selem * ebytes);
        }
        if (load && !withinOnePage(address, selem * ebytes)) {
            loadSingleGathered(cpu, t, address, q, esize, selem, replicate, index);
        } else {
            // Within one page a load faults on its first access or not at all, so each
            // register can be written as its element arrives.
            for (int e = 0; e < selem; e++) {
                int reg = (t + e) & 31;
                long va = address + (long) e * ebytes;
                if (replicate) {
                    long lanes = Vectors.replicate(read(cpu, va, ebytes), esize);
                    Vectors.writeQ(cpu, reg, lanes, q ? lanes : 0); // LDnR follows Q
                } else if (load) {
                    // A lane load keeps the other lanes of all 128 bits.
                    Vectors.setElement(cpu, reg, index, esize, read(cpu, va, ebytes));
                } else {
                    write(cpu, va, ebytes, Vectors.element(cpu, reg, index, esize));
                }
            }
        }
        if (post) {
            int m = (word >>> 16) & 31;
            cpu.setXOrSp(n, address + (m == 31 ? selem * ebytes : cpu.x[m]));
        }
        cpu.pc += 4;
    }

    /** A single-structure load that crosses a page: all elements are read before any register is written. */
    private static void loadSingleGathered(Cpu cpu, int t, long address, boolean q, int esize, int selem,
            boolean replicate, int index) {
        int ebytes = esize / 8;
        long[] elements = new long[selem];
        for (int e = 0; e < selem; e++) {
            elements[e] = read(cpu, address + (long) e * ebytes, ebytes);
        }
        for (int e = 0; e < selem; e++) {
            int reg = (t + e) & 31;
            if (replicate) {
                long lanes = Vectors.replicate(elements[e], esize);
                Vectors.writeQ(cpu, reg, lanes, q ? lanes : 0);
            } else {
                Vectors.setElement(cpu, reg, index, esize, elements[e]);
            }
        }
    }
}
