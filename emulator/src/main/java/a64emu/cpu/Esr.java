package a64emu.cpu;

/**
 * The Exception Syndrome Register format (ARM ARM D17.2.37, Linux asm/esr.h):
 * EC [31:26], IL [25], ISS [24:0]. Every ESR value in a64emu is built here.
 */
public final class Esr {
    private Esr() {}

    public static final int EC_UNKNOWN = 0x00;
    public static final int EC_SVC64 = 0x15;
    public static final int EC_SYS64 = 0x18;
    public static final int EC_IABT_LOWER = 0x20;
    public static final int EC_IABT_CUR = 0x21;
    public static final int EC_PC_ALIGN = 0x22;
    public static final int EC_DABT_LOWER = 0x24;
    public static final int EC_DABT_CUR = 0x25;
    public static final int EC_SP_ALIGN = 0x26;
    /** Breakpoint exception from a lower Exception level (self-hosted debug, ARM ARM D2.8). */
    public static final int EC_BREAKPT_LOWER = 0x30;
    /** Software Step exception from a lower Exception level (D2.12). */
    public static final int EC_SOFTSTP_LOWER = 0x32;
    /** Watchpoint exception from a lower Exception level (D2.10). */
    public static final int EC_WATCHPT_LOWER = 0x34;
    /** The fault status code of a debug exception (ISS IFSC/DFSC 0b100010). */
    public static final int FSC_DEBUG = 0x22;
    public static final int EC_BRK64 = 0x3C;

    public static final int IL = 1 << 25;

    /** Data-abort ISS bits. */
    public static final int ISS_DA_S1PTW = 1 << 7;
    public static final int ISS_DA_CM = 1 << 8;
    public static final int ISS_DA_WNR = 1 << 6;
    public static final int ISS_FNV = 1 << 10;

    /** Fault status codes (DFSC/IFSC), low two bits hold the level where one applies. */
    public static final int FSC_ADDRESS_SIZE = 0x00;
    public static final int FSC_TRANSLATION = 0x04;
    public static final int FSC_ACCESS_FLAG = 0x08;
    public static final int FSC_PERMISSION = 0x0C;
    public static final int FSC_SYNC_EXTERNAL = 0x10;
    public static final int FSC_SYNC_EXTERNAL_WALK = 0x14;
    public static final int FSC_ALIGNMENT = 0x21;

    public static int value(int ec, int iss) {
        return (ec << 26) | IL | (iss & 0x1FF_FFFF);
    }

    public static int ec(int esr) {
        return esr >>> 26;
    }

    public static int iss(int esr) {
        return esr & 0x1FF_FFFF;
    }

    public static String ecName(int ec) {
        return switch (ec) {
            case EC_UNKNOWN -> "Unknown reason (undefined instruction)";
            case EC_SVC64 -> "SVC instruction execution in AArch64 state";
            case EC_SYS64 -> "Trapped MSR, MRS or System instruction";
            case EC_IABT_LOWER -> "Instruction Abort from a lower Exception level";
            case EC_IABT_CUR -> "Instruction Abort taken without a change in Exception level";
            case EC_PC_ALIGN -> "PC alignment fault";
            case EC_DABT_LOWER -> "Data Abort from a lower Exception level";
            case EC_DABT_CUR -> "Data Abort taken without a change in Exception level";
            case EC_SP_ALIGN -> "SP alignment fault";
            case EC_BRK64 -> "BRK instruction execution in AArch64 state";
            default -> String.format("EC 0x%02x", ec);
        };
    }

    public static String fscName(int fsc) {
        int level = fsc & 3;
        return switch (fsc & 0x3C) {
            case FSC_ADDRESS_SIZE -> "Address size fault, level " + level;
            case FSC_TRANSLATION -> "Translation fault, level " + level;
            case FSC_ACCESS_FLAG -> "Access flag fault, level " + level;
            case FSC_PERMISSION -> "Permission fault, level " + level;
            case FSC_SYNC_EXTERNAL_WALK -> "Synchronous External abort on translation table walk, level " + level;
            default -> switch (fsc) {
                case FSC_SYNC_EXTERNAL -> "Synchronous External abort";
                case FSC_ALIGNMENT -> "Alignment fault";
                default -> String.format("FSC 0x%02x", fsc);
            };
        };
    }
}
