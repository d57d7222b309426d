package a64emu.cpu.disasm;

import java.util.Map;

/**
 * System register names for MRS/MSR, keyed by o0:op1:CRn:CRm:op2 (the 15 bits 19:5 of the
 * word, op0 = 2 + o0). Registers without a name print in the generic form
 * {@code s3_3_c13_c0_2}, as objdump prints them.
 */
final class SystemRegisters {
    private SystemRegisters() {}

    private static int key(int op0, int op1, int crn, int crm, int op2) {
        return ((op0 - 2) << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    }

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            // EL0-accessible registers (ARM ARM D13).
            Map.entry(key(3, 3, 13, 0, 2), "tpidr_el0"),
            Map.entry(key(3, 3, 13, 0, 3), "tpidrro_el0"),
            Map.entry(key(3, 3, 4, 4, 0), "fpcr"),
            Map.entry(key(3, 3, 4, 4, 1), "fpsr"),
            Map.entry(key(3, 3, 4, 2, 0), "nzcv"),
            Map.entry(key(3, 3, 4, 2, 1), "daif"),
            Map.entry(key(3, 3, 4, 2, 5), "dit"),
            Map.entry(key(3, 3, 4, 2, 6), "ssbs"),
            Map.entry(key(3, 3, 4, 2, 7), "tco"),
            Map.entry(key(3, 3, 0, 0, 1), "ctr_el0"),
            Map.entry(key(3, 3, 0, 0, 7), "dczid_el0"),
            Map.entry(key(3, 3, 2, 4, 0), "rndr"),
            Map.entry(key(3, 3, 2, 4, 1), "rndrrs"),
            Map.entry(key(3, 3, 14, 0, 0), "cntfrq_el0"),
            Map.entry(key(3, 3, 14, 0, 1), "cntpct_el0"),
            Map.entry(key(3, 3, 14, 0, 2), "cntvct_el0"),
            Map.entry(key(3, 3, 14, 0, 5), "cntpctss_el0"),
            Map.entry(key(3, 3, 14, 0, 6), "cntvctss_el0"),
            Map.entry(key(3, 3, 14, 2, 0), "cntp_tval_el0"),
            Map.entry(key(3, 3, 14, 2, 1), "cntp_ctl_el0"),
            Map.entry(key(3, 3, 14, 2, 2), "cntp_cval_el0"),
            Map.entry(key(3, 3, 14, 3, 0), "cntv_tval_el0"),
            Map.entry(key(3, 3, 14, 3, 1), "cntv_ctl_el0"),
            Map.entry(key(3, 3, 14, 3, 2), "cntv_cval_el0"),
            Map.entry(key(3, 0, 4, 2, 2), "currentel"),
            Map.entry(key(3, 0, 4, 2, 3), "pan"),
            Map.entry(key(3, 0, 4, 2, 4), "uao"),
            Map.entry(key(3, 0, 4, 0, 0), "spsr_el1"),
            Map.entry(key(3, 0, 4, 0, 1), "elr_el1"),
            Map.entry(key(3, 0, 4, 1, 0), "sp_el0"),
            Map.entry(key(3, 0, 4, 2, 0), "spsel"),
            // Identification registers that Linux lets EL0 read by trap-and-emulate.
            Map.entry(key(3, 0, 0, 0, 0), "midr_el1"),
            Map.entry(key(3, 0, 0, 0, 5), "mpidr_el1"),
            Map.entry(key(3, 0, 0, 0, 6), "revidr_el1"),
            Map.entry(key(3, 0, 0, 4, 0), "id_aa64pfr0_el1"),
            Map.entry(key(3, 0, 0, 4, 1), "id_aa64pfr1_el1"),
            Map.entry(key(3, 0, 0, 4, 4), "id_aa64zfr0_el1"),
            Map.entry(key(3, 0, 0, 5, 0), "id_aa64dfr0_el1"),
            Map.entry(key(3, 0, 0, 5, 1), "id_aa64dfr1_el1"),
            Map.entry(key(3, 0, 0, 5, 4), "id_aa64afr0_el1"),
            Map.entry(key(3, 0, 0, 5, 5), "id_aa64afr1_el1"),
            Map.entry(key(3, 0, 0, 6, 0), "id_aa64isar0_el1"),
            Map.entry(key(3, 0, 0, 6, 1), "id_aa64isar1_el1"),
            Map.entry(key(3, 0, 0, 6, 2), "id_aa64isar2_el1"),
            Map.entry(key(3, 0, 0, 7, 0), "id_aa64mmfr0_el1"),
            Map.entry(key(3, 0, 0, 7, 1), "id_aa64mmfr1_el1"),
            Map.entry(key(3, 0, 0, 7, 2), "id_aa64mmfr2_el1"),
            // EL1 registers the guest kernel's own code and tests use.
            Map.entry(key(3, 0, 1, 0, 0), "sctlr_el1"),
            Map.entry(key(3, 0, 1, 0, 2), "cpacr_el1"),
            Map.entry(key(3, 0, 2, 0, 0), "ttbr0_el1"),
            Map.entry(key(3, 0, 2, 0, 1), "ttbr1_el1"),
            Map.entry(key(3, 0, 2, 0, 2), "tcr_el1"),
            Map.entry(key(3, 0, 5, 1, 0), "afsr0_el1"),
            Map.entry(key(3, 0, 5, 1, 1), "afsr1_el1"),
            Map.entry(key(3, 0, 5, 2, 0), "esr_el1"),
            Map.entry(key(3, 0, 6, 0, 0), "far_el1"),
            Map.entry(key(3, 0, 7, 4, 0), "par_el1"),
            Map.entry(key(3, 0, 10, 2, 0), "mair_el1"),
            Map.entry(key(3, 0, 10, 3, 0), "amair_el1"),
            Map.entry(key(3, 0, 12, 0, 0), "vbar_el1"),
            Map.entry(key(3, 0, 13, 0, 1), "contextidr_el1"),
            Map.entry(key(3, 0, 13, 0, 4), "tpidr_el1"),
            Map.entry(key(3, 4, 13, 0, 2), "tpidr_el2"),
            Map.entry(key(3, 0, 14, 1, 0), "cntkctl_el1"));

    /** The name of the register at bits 19:5 of an MRS/MSR word. */
    static String name(int bits19to5) {
        String known = NAMES.get(bits19to5);
        if (known != null) {
            return known;
        }
        int op0 = 2 + ((bits19to5 >>> 14) & 1);
        int op1 = (bits19to5 >>> 11) & 7;
        int crn = (bits19to5 >>> 7) & 15;
        int crm = (bits19to5 >>> 3) & 15;
        int op2 = bits19to5 & 7;
        return "s" + op0 + "_" + op1 + "_c" + crn + "_c" + crm + "_" + op2;
    }
}
