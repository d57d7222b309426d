package a64emu.tools.debug.console;

import a64emu.cpu.Cpu;
import java.util.OptionalLong;

/** The registers by the names expressions and {@code regs} use: x0-x30, w0-w30, sp, pc, lr, fp, nzcv. */
final class Registers {
    private Registers() {}

    static OptionalLong value(Cpu cpu, String name) {
        switch (name) {
            case "sp":
                return OptionalLong.of(cpu.sp);
            case "pc":
                return OptionalLong.of(cpu.pc);
            case "lr":
                return OptionalLong.of(cpu.x[30]);
            case "fp":
                return OptionalLong.of(cpu.x[29]);
            case "nzcv":
            case "cpsr":
                return OptionalLong.of(cpu.nzcv & 0xFFFF_FFFFL);
            case "xzr":
            case "wzr":
                return OptionalLong.of(0);
            default:
                break;
        }
        if (name.length() >= 2 && (name.charAt(0) == 'x' || name.charAt(0) == 'w')) {
            try {
                int n = Integer.parseInt(name.substring(1));
                if (n >= 0 && n <= 30 && String.valueOf(n).equals(name.substring(1))) {
                    return OptionalLong.of(name.charAt(0) == 'x' ? cpu.x[n] : cpu.x[n] & 0xFFFF_FFFFL);
                }
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** PSTATE.NZCV as gdb's cpsr flags read: a capital letter for each flag set ({@code nZCv}). */
    static String flags(int nzcv) {
        return "" + ((nzcv & (1 << 31)) != 0 ? 'N' : 'n') + ((nzcv & (1 << 30)) != 0 ? 'Z' : 'z')
                + ((nzcv & (1 << 29)) != 0 ? 'C' : 'c') + ((nzcv & (1 << 28)) != 0 ? 'V' : 'v');
    }
}
