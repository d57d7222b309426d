package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/** Loads and stores of SIMD&amp;FP registers: single registers, pairs, literals and the structure loads LD1-LD4/ST1-ST4. */
final class LoadStoreSimdFpFormats {
    private LoadStoreSimdFpFormats() {}

    private static final int[] MULTIPLE_REGS = {4, -1, 4, -1, 3, -1, 3, 1, 2, -1, 2, -1, -1, -1, -1, -1};
    private static final int[] MULTIPLE_SELEM = {4, -1, 1, -1, 3, -1, 1, 1, 2, -1, 1, -1, -1, -1, -1, -1};

    static void register(Map<String, Format> t) {
        t.put("LDR_STR_SIMD_UIMM", i -> {
            int bytes = bytes(i);
            return bytes == 0 ? null : single(i, "str", "ldr", Address.offset(i.rn(), (long) i.bits(21, 10) * bytes));
        });
        t.put("LDUR_STUR_SIMD", i -> single(i, "stur", "ldur", Address.offset(i.rn(), i.signed(20, 12))));
        t.put("LDR_STR_SIMD_POST", i -> single(i, "str", "ldr", Address.postIndex(i.rn(), i.signed(20, 12))));
        t.put("LDR_STR_SIMD_PRE", i -> single(i, "str", "ldr", Address.preIndex(i.rn(), i.signed(20, 12))));
        t.put("LDR_STR_SIMD_REG", i -> {
            int bytes = bytes(i);
            String address = bytes == 0 ? null : Address.register(i, Integer.numberOfTrailingZeros(bytes));
            return address == null ? null : single(i, "str", "ldr", address);
        });
        t.put("LDR_SIMD_LIT", i -> {
            int opc = i.bits(31, 30);
            return opc == 3 ? null
                    : Disassembly.withTarget("ldr", Reg.fp(4 << opc, i.rd()), i.target(i.signed(23, 5) << 2));
        });
        t.put("LDNP_STNP_SIMD", i -> pair(i, "stnp", "ldnp", LoadStoreIntegerFormats.Mode.OFFSET));
        t.put("LDP_STP_SIMD_POST", i -> pair(i, "stp", "ldp", LoadStoreIntegerFormats.Mode.POST));
        t.put("LDP_STP_SIMD_OFF", i -> pair(i, "stp", "ldp", LoadStoreIntegerFormats.Mode.OFFSET));
        t.put("LDP_STP_SIMD_PRE", i -> pair(i, "stp", "ldp", LoadStoreIntegerFormats.Mode.PRE));
        t.put("LDST_MULTIPLE", i -> multiple(i, false));
        t.put("LDST_MULTIPLE_POST", i -> multiple(i, true));
        t.put("LDST_SINGLE", i -> structureSingle(i, false));
        t.put("LDST_SINGLE_POST", i -> structureSingle(i, true));
    }

    /** Access size from size (31:30) and opc<1> (23): 16 for size 00 with opc<1> set; 0 if reserved. */
    private static int bytes(Insn i) {
        int size = i.bits(31, 30);
        if (i.bit(23)) {
            return size == 0 ? 16 : 0;
        }
        return 1 << size;
    }

    private static Disassembly single(Insn i, String store, String load, String address) {
        int bytes = bytes(i);
        if (bytes == 0) {
            return null;
        }
        return of(i.bit(22) ? load : store, Reg.fp(bytes, i.rd()) + ", " + address);
    }

    private static Disassembly pair(Insn i, String store, String load, LoadStoreIntegerFormats.Mode mode) {
        int opc = i.bits(31, 30);
        if (opc == 3) {
            return null;
        }
        int bytes = 4 << opc;
        String regs = Reg.fp(bytes, i.rd()) + ", " + Reg.fp(bytes, i.ra()) + ", ";
        return of(i.bit(22) ? load : store,
                regs + LoadStoreIntegerFormats.address(mode, i.rn(), i.signed(21, 15) * bytes));
    }

    private static Disassembly multiple(Insn i, boolean post) {
        int opcode = i.bits(15, 12);
        int regs = MULTIPLE_REGS[opcode];
        int selem = MULTIPLE_SELEM[opcode];
        int size = i.bits(11, 10);
        boolean q = i.bit(30);
        if (regs < 0 || (size == 3 && !q && selem > 1)) {
            return null;
        }
        String mnemonic = (i.bit(22) ? "ld" : "st") + selem;
        String list = Reg.list(i.rd(), regs, Reg.arrangement(size, q));
        String address = "[" + Reg.xsp(i.rn()) + "]";
        if (post) {
            address += ", " + (i.rm() == 31 ? Imm.dec(regs * (q ? 16 : 8)) : Reg.x(i.rm()));
        }
        return of(mnemonic, list + ", " + address);
    }

    private static Disassembly structureSingle(Insn i, boolean post) {
        boolean load = i.bit(22);
        int opcode = i.bits(15, 13);
        boolean s = i.bit(12);
        int size = i.bits(11, 10);
        boolean q = i.bit(30);
        int selem = (((opcode & 1) << 1) | i.bits(21, 21)) + 1;
        int scale = opcode >>> 1;
        String list;
        int bytes;
        if (scale == 3) {
            if (!load || s) {
                return null;
            }
            bytes = 1 << size;
            list = Reg.list(i.rd(), selem, Reg.arrangement(size, q));
            String address = "[" + Reg.xsp(i.rn()) + "]";
            if (post) {
                address += ", " + (i.rm() == 31 ? Imm.dec(selem * bytes) : Reg.x(i.rm()));
            }
            return of("ld" + selem + "r", list + ", " + address);
        }
        int index;
        int qs = (q ? 2 : 0) | (s ? 1 : 0);
        if (scale == 0) {
            bytes = 1;
            index = (qs << 2) | size;
        } else if (scale == 1) {
            if ((size & 1) != 0) {
                return null;
            }
            bytes = 2;
            index = (qs << 1) | (size >>> 1);
        } else if (size == 0) {
            bytes = 4;
            index = qs;
        } else if (size == 1 && !s) {
            bytes = 8;
            index = q ? 1 : 0;
        } else {
            return null;
        }
        list = Reg.list(i.rd(), selem, String.valueOf(Reg.scalarPrefix(bytes))) + "[" + index + "]";
        String address = "[" + Reg.xsp(i.rn()) + "]";
        if (post) {
            address += ", " + (i.rm() == 31 ? Imm.dec(selem * bytes) : Reg.x(i.rm()));
        }
        return of((load ? "ld" : "st") + selem, list + ", " + address);
    }
}
