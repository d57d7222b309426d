package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * Data processing (register), with objdump's aliases MOV, MVN, TST, CMP/CMN, NEG/NEGS,
 * NGC/NGCS, CSET/CSETM/CINC/CINV/CNEG, LSL/LSR/ASR/ROR (variable), MUL/MNEG and the
 * long multiplies SMULL/UMULL/SMNEGL/UMNEGL.
 */
final class DataProcessingRegisterFormats {
    private DataProcessingRegisterFormats() {}

    static void register(Map<String, Format> t) {
        t.put("AND_REG", i -> logical(i, "and"));
        t.put("BIC_REG", i -> logical(i, "bic"));
        t.put("ORR_REG", i -> logical(i, "orr"));
        t.put("ORN_REG", i -> logical(i, "orn"));
        t.put("EOR_REG", i -> logical(i, "eor"));
        t.put("EON_REG", i -> logical(i, "eon"));
        t.put("ANDS_REG", i -> logical(i, "ands"));
        t.put("BICS_REG", i -> logical(i, "bics"));
        t.put("ADD_SHIFT", i -> addSubShifted(i, "add"));
        t.put("ADDS_SHIFT", i -> addSubShifted(i, "adds"));
        t.put("SUB_SHIFT", i -> addSubShifted(i, "sub"));
        t.put("SUBS_SHIFT", i -> addSubShifted(i, "subs"));
        t.put("ADD_EXT", i -> addSubExtended(i, "add"));
        t.put("ADDS_EXT", i -> addSubExtended(i, "adds"));
        t.put("SUB_EXT", i -> addSubExtended(i, "sub"));
        t.put("SUBS_EXT", i -> addSubExtended(i, "subs"));
        t.put("ADC", i -> carry(i, "adc", null));
        t.put("ADCS", i -> carry(i, "adcs", null));
        t.put("SBC", i -> carry(i, "sbc", "ngc"));
        t.put("SBCS", i -> carry(i, "sbcs", "ngcs"));
        t.put("CCMN_REG", i -> condCompare(i, "ccmn", false));
        t.put("CCMP_REG", i -> condCompare(i, "ccmp", false));
        t.put("CCMN_IMM", i -> condCompare(i, "ccmn", true));
        t.put("CCMP_IMM", i -> condCompare(i, "ccmp", true));
        t.put("CSEL", i -> condSelect(i, "csel", null, null));
        t.put("CSINC", i -> condSelect(i, "csinc", "cinc", "cset"));
        t.put("CSINV", i -> condSelect(i, "csinv", "cinv", "csetm"));
        t.put("CSNEG", i -> condSelect(i, "csneg", "cneg", null));
        t.put("UDIV", i -> threeReg(i, "udiv"));
        t.put("SDIV", i -> threeReg(i, "sdiv"));
        t.put("LSLV", i -> threeReg(i, "lsl"));
        t.put("LSRV", i -> threeReg(i, "lsr"));
        t.put("ASRV", i -> threeReg(i, "asr"));
        t.put("RORV", i -> threeReg(i, "ror"));
        t.put("CRC32", i -> crc(i, "crc32"));
        t.put("CRC32C", i -> crc(i, "crc32c"));
        t.put("RBIT", i -> twoReg(i, "rbit"));
        t.put("REV16", i -> twoReg(i, "rev16"));
        t.put("REV32", i -> twoReg(i, i.sf() ? "rev32" : "rev"));
        t.put("REV64", i -> i.sf() ? twoReg(i, "rev") : null);
        t.put("CLZ", i -> twoReg(i, "clz"));
        t.put("CLS", i -> twoReg(i, "cls"));
        t.put("RMIF", i -> of("rmif", Reg.x(i.rn()) + ", " + Imm.dec(i.bits(20, 15)) + ", " + Imm.dec(i.bits(3, 0))));
        t.put("SETF8", i -> of("setf8", Reg.w(i.rn())));
        t.put("SETF16", i -> of("setf16", Reg.w(i.rn())));
        t.put("MADD", i -> multiplyAdd(i, "madd", "mul"));
        t.put("MSUB", i -> multiplyAdd(i, "msub", "mneg"));
        t.put("SMADDL", i -> multiplyLong(i, "smaddl", "smull"));
        t.put("SMSUBL", i -> multiplyLong(i, "smsubl", "smnegl"));
        t.put("UMADDL", i -> multiplyLong(i, "umaddl", "umull"));
        t.put("UMSUBL", i -> multiplyLong(i, "umsubl", "umnegl"));
        t.put("SMULH", i -> of("smulh", Reg.x(i.rd()) + ", " + Reg.x(i.rn()) + ", " + Reg.x(i.rm())));
        t.put("UMULH", i -> of("umulh", Reg.x(i.rd()) + ", " + Reg.x(i.rn()) + ", " + Reg.x(i.rm())));
    }

    /** {@code , lsl #3}: a shifted-register operand's shift, omitted when it is LSL #0. */
    private static String shift(Insn i) {
        int type = i.bits(23, 22);
        int amount = i.bits(15, 10);
        return type == 0 && amount == 0 ? "" : ", " + Names.shift(type) + " " + Imm.dec(amount);
    }

    private static Disassembly logical(Insn i, String mnemonic) {
        boolean sf = i.sf();
        if (!sf && i.bit(15)) {
            return null;
        }
        String rd = Reg.r(sf, i.rd());
        String rn = Reg.r(sf, i.rn());
        String rm = Reg.r(sf, i.rm()) + shift(i);
        if (mnemonic.equals("orr") && i.rn() == 31 && i.bits(23, 22) == 0 && i.bits(15, 10) == 0) {
            return of("mov", rd + ", " + rm);
        }
        if (mnemonic.equals("orn") && i.rn() == 31) {
            return of("mvn", rd + ", " + rm);
        }
        if (mnemonic.equals("ands") && i.rd() == 31) {
            return of("tst", rn + ", " + rm);
        }
        return of(mnemonic, rd + ", " + rn + ", " + rm);
    }

    private static Disassembly addSubShifted(Insn i, String mnemonic) {
        boolean sf = i.sf();
        if (i.bits(23, 22) == 3 || (!sf && i.bit(15))) {
            return null;
        }
        String rd = Reg.r(sf, i.rd());
        String rn = Reg.r(sf, i.rn());
        String rm = Reg.r(sf, i.rm()) + shift(i);
        boolean setFlags = mnemonic.endsWith("s");
        boolean subtract = mnemonic.startsWith("sub");
        if (setFlags && i.rd() == 31) {
            return of(subtract ? "cmp" : "cmn", rn + ", " + rm);
        }
        if (subtract && i.rn() == 31) {
            return of(setFlags ? "negs" : "neg", rd + ", " + rm);
        }
        return of(mnemonic, rd + ", " + rn + ", " + rm);
    }

    private static Disassembly addSubExtended(Insn i, String mnemonic) {
        boolean sf = i.sf();
        int option = i.bits(15, 13);
        int amount = i.bits(12, 10);
        if (amount > 4) {
            return null;
        }
        boolean setFlags = mnemonic.endsWith("s");
        String rd = setFlags ? Reg.r(sf, i.rd()) : Reg.rsp(sf, i.rd());
        String rn = Reg.rsp(sf, i.rn());
        String rm = Reg.r(sf && (option & 3) == 3, i.rm());
        boolean spInvolved = i.rn() == 31 || (!setFlags && i.rd() == 31);
        String extend;
        if (spInvolved && option == (sf ? 3 : 2)) {
            extend = amount == 0 ? "" : ", lsl " + Imm.dec(amount);
        } else {
            extend = ", " + Names.extend(option) + (amount == 0 ? "" : " " + Imm.dec(amount));
        }
        if (setFlags && i.rd() == 31) {
            return of(mnemonic.startsWith("sub") ? "cmp" : "cmn", rn + ", " + rm + extend);
        }
        return of(mnemonic, rd + ", " + rn + ", " + rm + extend);
    }

    private static Disassembly carry(Insn i, String mnemonic, String negAlias) {
        boolean sf = i.sf();
        if (negAlias != null && i.rn() == 31) {
            return of(negAlias, Reg.r(sf, i.rd()) + ", " + Reg.r(sf, i.rm()));
        }
        return threeReg(i, mnemonic);
    }

    private static Disassembly condCompare(Insn i, String mnemonic, boolean immediate) {
        boolean sf = i.sf();
        String second = immediate ? Imm.hex(i.bits(20, 16)) : Reg.r(sf, i.rm());
        return of(mnemonic, Reg.r(sf, i.rn()) + ", " + second + ", " + Imm.hex(i.bits(3, 0))
                + ", " + Names.condition(i.bits(15, 12)));
    }

    private static Disassembly condSelect(Insn i, String mnemonic, String sameAlias, String zeroAlias) {
        boolean sf = i.sf();
        int cond = i.bits(15, 12);
        String rd = Reg.r(sf, i.rd());
        boolean invertible = (cond & 0xE) != 0xE;
        if (invertible && zeroAlias != null && i.rn() == 31 && i.rm() == 31) {
            return of(zeroAlias, rd + ", " + Names.condition(cond ^ 1));
        }
        boolean sameOk = mnemonic.equals("csneg") || (i.rn() != 31 && i.rm() != 31);
        if (invertible && sameAlias != null && i.rn() == i.rm() && sameOk) {
            return of(sameAlias, rd + ", " + Reg.r(sf, i.rn()) + ", " + Names.condition(cond ^ 1));
        }
        return of(mnemonic, rd + ", " + Reg.r(sf, i.rn()) + ", " + Reg.r(sf, i.rm()) + ", " + Names.condition(cond));
    }

    private static Disassembly threeReg(Insn i, String mnemonic) {
        boolean sf = i.sf();
        return of(mnemonic, Reg.r(sf, i.rd()) + ", " + Reg.r(sf, i.rn()) + ", " + Reg.r(sf, i.rm()));
    }

    private static Disassembly twoReg(Insn i, String mnemonic) {
        boolean sf = i.sf();
        return of(mnemonic, Reg.r(sf, i.rd()) + ", " + Reg.r(sf, i.rn()));
    }

    private static Disassembly crc(Insn i, String base) {
        int sz = i.bits(11, 10);
        if ((sz == 3) != i.sf()) {
            return null;
        }
        String suffix = "bhwx".substring(sz, sz + 1);
        return of(base + suffix, Reg.w(i.rd()) + ", " + Reg.w(i.rn()) + ", " + Reg.r(sz == 3, i.rm()));
    }

    private static Disassembly multiplyAdd(Insn i, String mnemonic, String zeroAlias) {
        boolean sf = i.sf();
        String ops = Reg.r(sf, i.rd()) + ", " + Reg.r(sf, i.rn()) + ", " + Reg.r(sf, i.rm());
        return i.ra() == 31 ? of(zeroAlias, ops) : of(mnemonic, ops + ", " + Reg.r(sf, i.ra()));
    }

    private static Disassembly multiplyLong(Insn i, String mnemonic, String zeroAlias) {
        String ops = Reg.x(i.rd()) + ", " + Reg.w(i.rn()) + ", " + Reg.w(i.rm());
        return i.ra() == 31 ? of(zeroAlias, ops) : of(mnemonic, ops + ", " + Reg.x(i.ra()));
    }
}
