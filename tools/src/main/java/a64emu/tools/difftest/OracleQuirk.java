package a64emu.tools.difftest;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A documented way in which an oracle is wrong or incomplete, established against the
 * architecture and the other oracle: cases it matches are counted under its name in
 * every summary instead of as mismatches. Never a silent skip: each quirk says which
 * cases it covers, which outcomes it expects of each engine, the reason and the evidence.
 *
 * @param oursDetail a text a64emu's exception must contain (null: any)
 * @param difference what must hold of the two outcomes, for a quirk that explains one
 *                   exact difference (null: any difference)
 */
record OracleQuirk(String name, Predicate<DiffCase> cases, Outcome.Kind ours, String oursDetail,
                   Outcome.Kind theirs, String reason, String evidence, Difference difference) {

    /** Matches whatever the engine did. */
    static final Outcome.Kind ANY = null;

    /** The one way in which the oracle's outcome of a case differs from a64emu's. */
    interface Difference {
        boolean explains(DiffCase c, Outcome a64emu, Outcome oracle);
    }

    OracleQuirk(String name, Predicate<DiffCase> cases, Outcome.Kind ours, String oursDetail, Outcome.Kind theirs,
                String reason, String evidence) {
        this(name, cases, ours, oursDetail, theirs, reason, evidence, null);
    }

    boolean covers(DiffCase c, Outcome a64emu, Outcome oracle) {
        return cases.test(c) && (ours == ANY || a64emu.kind() == ours)
                && (oursDetail == null || a64emu.detail().contains(oursDetail))
                && (theirs == ANY || oracle.kind() == theirs)
                && (difference == null || difference.explains(c, a64emu, oracle));
    }

    static Predicate<DiffCase> encodings(String... names) {
        Set<String> set = Set.of(names);
        return c -> set.contains(c.encoding().name());
    }

    /** The exclusive and ordered (acquire/release) accesses, which must be aligned without FEAT_LSE2. */
    static final Predicate<DiffCase> EXCLUSIVE_OR_ORDERED = encodings("LDXR", "LDAXR", "STXR", "STLXR", "LDXP",
            "LDAXP", "STXP", "STLXP", "LDAR", "STLR", "LDLAR", "STLLR", "LDAPR", "LDAPUR", "LDAPURS_X", "LDAPURS_W",
            "STLUR");

    /** The store-exclusives, which a clear monitor fails without any memory access in QEMU. */
    static final Predicate<DiffCase> STORE_EXCLUSIVE = encodings("STXR", "STLXR", "STXP", "STLXP");

    static final String ALIGNMENT = "Alignment fault";

    /**
     * Encodings Unicorn is not asked to run at all: FEAT_LSE (v8.1) and LDAPR (v8.3 RCpc)
     * postdate QEMU 2.2, whose decoder reads the atomic space (bit 21 = 1, bits 11:10 = 00)
     * as LDUR/STUR and the CAS space as undefined, so its results mean nothing; and after
     * LDADDH 0x78b502e6 ran as such a store, Unicorn's next mem_write crashed the JVM in
     * stl_le_p. They are checked against qemu-aarch64 7.2 (--oracle qemu, qemu-vectors.txt).
     */
    static final Predicate<DiffCase> NOT_FOR_UNICORN = c -> {
        String feature = PostV80Feature.of(c.encoding(), c.word());
        return "LSE".equals(feature) || "RCPC".equals(feature);
    };

    static final List<OracleQuirk> UNICORN = List.of(
            new OracleQuirk("unicorn-lacks-post-v8.0", c -> PostV80Feature.of(c.encoding(), c.word()) != null,
                    ANY, null, Outcome.Kind.UNDEFINED,
                    "every extension after ARMv8.0 (PostV80Feature: RDM, DotProd, FP16, FCMA, JSCVT, FRINTTS, FlagM, "
                            + "SHA3, SHA512, RCPC2, LOR, DPB, SB, ...) postdates QEMU 2.2, which raises an undefined "
                            + "instruction for them; checked against qemu-aarch64 7.2 instead (qemu-vectors.txt)",
                    "each raises EXCP_UDEF (1) in Unicorn and executes under qemu-aarch64 7.2 -cpu max"),
            new OracleQuirk("unicorn-crc32-without-zlib", encodings("CRC32"), Outcome.Kind.RETIRED, null,
                    Outcome.Kind.RETIRED,
                    "Unicorn 1.0.14's CRC32 (not CRC32C) helper returns 0 for most inputs; checked against "
                            + "qemu-aarch64 7.2 instead",
                    "CRC32X 0x9ad64e17: Unicorn gives 0, qemu-aarch64 7.2 and a64emu give 0xd42ff01b"),
            new OracleQuirk("qemu2.2-ldrs-size3-writeback", encodings("LDRS_X_PRE", "LDRS_X_POST"),
                    Outcome.Kind.UNDEFINED, null, Outcome.Kind.RETIRED,
                    "LDR (immediate, pre/post-index) with size = 11 and opc = 1x is unallocated (ARM ARM C4.1.88); "
                            + "QEMU 2.2 executes it",
                    "0xf8838c01: Unicorn loads, a64emu and qemu-aarch64 7.2 raise SIGILL"),
            new OracleQuirk("qemu2.2-64-bit-lane-shifts", OracleQuirk::isSignedShiftOf64BitLanes,
                    Outcome.Kind.RETIRED, null, Outcome.Kind.RETIRED,
                    "QEMU 2.2 gets signed (saturating) shifts of 64-bit lanes wrong for large shift counts; "
                            + "qemu-aarch64 7.2 agrees with a64emu",
                    "SSHL d31 0x5ee5443f (case 16, seed 1), SQSHL v25.2d 0x4efb4fb9 (case 23796), SQSHL #imm "
                            + "0x4f417678 (case 40161): a64emu equals qemu-aarch64 7.2, Unicorn differs"),
            new OracleQuirk("qemu2.2-frecpx-idc", encodings("FRECPX_SCALAR"), Outcome.Kind.RETIRED, null,
                    Outcome.Kind.RETIRED,
                    "QEMU 2.2's FRECPX does not set FPSR.IDC when FPCR.FZ flushes a subnormal input; "
                            + "qemu-aarch64 7.2 agrees with a64emu",
                    "FRECPX s20, s17 0x5ea1fa34 (seed 1): Unicorn FPSR 0, a64emu and qemu-aarch64 7.2 0x80"),
            new OracleQuirk("qemu2.2-frecpe-double", c -> (c.encoding().name().equals("FRECPE_V")
                    || c.encoding().name().equals("FRECPE_SCALAR")) && ((c.word() >>> 22) & 1) == 1, Outcome.Kind.RETIRED, null, Outcome.Kind.RETIRED,
                    "QEMU 2.2's double-precision FRECPE returns 0 or the wrong estimate for some inputs; "
                            + "qemu-aarch64 7.2 agrees with a64emu",
                    "FRECPE v28.2d 0x4ee1da9c (case 12398, seed 1)"),
            new OracleQuirk("qemu2.2-half-conversion", OracleQuirk::isConversionToHalf, Outcome.Kind.RETIRED, null,
                    Outcome.Kind.RETIRED,
                    "QEMU 2.2 narrows to half precision rounding to nearest whatever FPCR.RMode says, flushes "
                            + "tiny results to zero in the alternative (AHP) format and drops the sign of NaNs; "
                            + "qemu-aarch64 7.2 agrees with a64emu (these conversions are in qemu-vectors.txt)",
                    "FCVTN 0x4e216995 with RMode = 11 (case 3259, seed 1) and FCVT h8, s10 0x1e23c148 (case 141006): "
                            + "Unicorn 0x7c00 (infinity), a64emu and qemu-aarch64 7.2 0x7bff; FCVTN 0x4e2168f5 with "
                            + "AHP = 1: Unicorn 0x8000, a64emu and qemu-aarch64 7.2 0x8001; FCVTN 0x0e216a78 (seed 2, "
                            + "case 44251) of a negative NaN: Unicorn 0x7e00, a64emu and qemu-aarch64 7.2 0xfe00"),
            new OracleQuirk("qemu2.2-zero-times-infinity", c -> c.encoding().name().startsWith("FMULX")
                    || c.encoding().name().startsWith("FRECPS") || c.encoding().name().startsWith("FRSQRTS"),
                    Outcome.Kind.RETIRED, null, Outcome.Kind.RETIRED,
                    "zero times infinity is 2.0 in FMULX and FRECPS, 1.5 in FRSQRTS, with no exception (ARM ARM "
                            + "FPMulX, FPRecipStepFused, FPRSqrtStepFused); QEMU 2.2 gives the default NaN and sets "
                            + "IOC in some lanes; qemu-aarch64 7.2 agrees with a64emu",
                    "FMULX v16.2s 0x0e22de70 (case 72075, seed 1): Unicorn 0x7fc00000, a64emu and "
                            + "qemu-aarch64 7.2 0x40000000; FRSQRTS 0x0ea1fe49 (seed 2, class AdvSimdThreeSame, "
                            + "case 242909): Unicorn 0x7fc00000, a64emu and qemu-aarch64 7.2 0x3fc00000"),
            new OracleQuirk("qemu2.2-no-alignment-check", EXCLUSIVE_OR_ORDERED, Outcome.Kind.DATA_ABORT, ALIGNMENT,
                    Outcome.Kind.RETIRED,
                    "QEMU 2.2 performs exclusive and acquire/release accesses without the alignment check the "
                            + "architecture requires (ARM ARM B2.5.2; no FEAT_LSE2 here); qemu-aarch64 7.2 checks it",
                    "LDAXR 0xc84786f7 at 0x17411: Unicorn loads, a64emu and qemu-aarch64 7.2 (SIGBUS) fault"));

    static final List<OracleQuirk> QEMU = List.of(
            new OracleQuirk("qemu-store-exclusive-skips-alignment", STORE_EXCLUSIVE, Outcome.Kind.DATA_ABORT,
                    ALIGNMENT, Outcome.Kind.RETIRED,
                    "with the monitor clear, QEMU fails a store-exclusive (status 1) without the access's "
                            + "alignment check; the architecture checks alignment first "
                            + "(AArch64.ExclusiveMonitorsPass, ARM ARM J1)",
                    "STXR 0xc80e1594 at 0x1462: qemu-aarch64 7.2 writes status 1, a64emu takes the alignment fault"),
            new OracleQuirk("qemu-max-has-lse2", EXCLUSIVE_OR_ORDERED, Outcome.Kind.DATA_ABORT, ALIGNMENT,
                    Outcome.Kind.RETIRED,
                    "qemu-aarch64 -cpu max has FEAT_LSE2, which allows unaligned ordered accesses within 16 "
                            + "bytes; a64emu does not advertise LSE2, so they take the alignment fault",
                    "LDAPR 0xb8bfc3f0 at 0x8967: qemu-aarch64 7.2 loads, a64emu faults"),
            new OracleQuirk("qemu-user-lacks-dc-cvap", encodings("DC_CVAP", "DC_CVADP"), Outcome.Kind.RETIRED, null,
                    Outcome.Kind.UNDEFINED,
                    "QEMU defines DC CVAP/CVADP for system emulation only (dcpop_reg/dcpodp_reg under "
                            + "#ifndef CONFIG_USER_ONLY in target/arm/helper.c), so qemu-aarch64 raises SIGILL even "
                            + "with -cpu max; Unicorn (QEMU 2.2) predates them: neither oracle can check them",
                    "DC CVAP 0xd50b7c3c: SIGILL under qemu-aarch64 7.2 -cpu max, a64emu retires it"),
            new OracleQuirk("qemu-max-has-bf16", c -> "BF16".equals(PostV80Feature.of(c.encoding(), c.word())),
                    Outcome.Kind.UNDEFINED, null, Outcome.Kind.RETIRED,
                    "qemu-aarch64 -cpu max has FEAT_BF16 (BFCVT), which a64emu does not implement",
                    "BFCVT h7, s22 0x1e6342c7: qemu-aarch64 7.2 executes, a64emu undefined"),
            new OracleQuirk("qemu7.2-fp16-fcvtzs-fixed-sign-extends", OracleQuirk::isHalfScalarFixedPointFcvtzs,
                    Outcome.Kind.RETIRED, null, Outcome.Kind.RETIRED,
                    "FCVTZS (scalar, fixed-point) of a half-precision value writes its 16-bit result and zeroes "
                            + "the rest of the register; QEMU before 9.1 writes it sign-extended to 32 bits (fixed "
                            + "upstream by 'target/arm: Zero-extend writeback for fp16 FCVTZS (scalar, integer)', "
                            + "May 2024, for the RISU mismatch of 'fcvtzs h31, h0, #14')",
                    "fcvtzs h12, h16, #11 0x5f15fe0c (seed 2, class AdvSimdScalar, case 2733): qemu-aarch64 7.2 "
                            + "writes 0xffff8000, a64emu 0x8000",
                    OracleQuirk::onlyTheResultIsSignExtendedTo32Bits),
            new OracleQuirk("qemu-max-has-mte", c -> c.encoding().name().startsWith("STP_") && (c.word() >>> 30) == 1,
                    Outcome.Kind.UNDEFINED, null, ANY,
                    "STP with opc = 01 is STGP (v8.5 MTE), which qemu-aarch64 -cpu max implements (7.2 has no "
                            + "property to turn it off) and a64emu does not",
                    "STGP 0x691b7f93: qemu-aarch64 7.2 stores, a64emu undefined"));

    /** FCVTN to 4H/8H, and scalar FCVT to half precision (FP_DP1 opcode 000111). */
    private static boolean isConversionToHalf(DiffCase c) {
        String name = c.encoding().name();
        int w = c.word();
        return (name.equals("FCVTN") && ((w >>> 22) & 1) == 0) || (name.equals("FP_DP1") && ((w >>> 15) & 0x3F) == 7);
    }

    /** FCVTZS (scalar, fixed-point) with immh = 001x: half precision. */
    private static boolean isHalfScalarFixedPointFcvtzs(DiffCase c) {
        return c.encoding().name().equals("FCVTZS_FIXED_SCALAR") && ((c.word() >>> 20) & 7) == 1;
    }

    /**
     * Both retired with the same state but for Vd, which a64emu holds as the 16-bit result
     * and the oracle as that result sign-extended to 32 bits.
     */
    private static boolean onlyTheResultIsSignExtendedTo32Bits(DiffCase c, Outcome ours, Outcome theirs) {
        if (ours.state() == null || theirs.state() == null || !ours.written().equals(theirs.written())) {
            return false;
        }
        int d = c.word() & 31;
        long result = ours.state().v[2 * d];
        long extended = (long) (short) result & 0xFFFF_FFFFL;
        MachineState fixed = theirs.state().copy();
        if ((result & ~0xFFFFL) != 0 || fixed.v[2 * d] != extended) {
            return false;
        }
        fixed.v[2 * d] = result;
        return fixed.equals(ours.state());
    }

    /** SSHL/SQSHL (register or immediate) on 64-bit elements. */
    private static boolean isSignedShiftOf64BitLanes(DiffCase c) {
        String name = c.encoding().name();
        int w = c.word();
        return name.equals("SSHL_SCALAR")
                || ((name.equals("SSHL_V") || name.equals("SQSHL_V") || name.equals("SQSHL_SCALAR")) && ((w >>> 22) & 3) == 3)
                || ((name.equals("SQSHL_IMM") || name.equals("SQSHL_IMM_SCALAR")) && ((w >>> 22) & 1) == 1);
    }

    static OracleQuirk find(List<OracleQuirk> quirks, DiffCase c, Outcome a64emu, Outcome oracle) {
        for (OracleQuirk q : quirks) {
            if (q.covers(c, a64emu, oracle)) {
                return q;
            }
        }
        return null;
    }
}
