package a64emu.tools;

import a64emu.guest.KernelConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The machine a program is inspected on (walk, ptdump): the same RAM, VA size and
 * root as {@code run} takes, so an inspection sees the address space a run would.
 */
final class MachineOptions {
    @Option(names = "--ram", paramLabel = "SIZE", defaultValue = "1G", converter = ByteSize.Converter.class,
            description = "Emulated physical RAM, as for 'run'. Default: ${DEFAULT-VALUE}.")
    long ramBytes;

    @Option(names = "--va-bits", paramLabel = "BITS", defaultValue = "48", converter = RunCommand.VaBits.class,
            description = "User virtual address size, as for 'run': 48 or 39. Default: ${DEFAULT-VALUE}.")
    int vaBits;

    @Option(names = "--root", paramLabel = "DIR", description = "Confine the guest's file system to DIR, as for 'run'.")
    Path root;

    @Option(names = "--zram", paramLabel = "SIZE", converter = ByteSize.Converter.class,
            description = "Size of zram0, the swap device, as for 'run'; 0 for no swap. Default: 75%% of --ram.")
    Long zramBytes;

    @Option(names = "--swappiness", paramLabel = "N", defaultValue = "60",
            description = "vm.swappiness, as for 'run'. Default: ${DEFAULT-VALUE}.")
    int swappiness;

    /** The memory settings these options give, or the reason they are invalid. */
    KernelConfig.Memory memory() {
        KernelConfig.Memory m = KernelConfig.Memory.DEFAULT.withSwappiness(swappiness);
        return zramBytes == null ? m : m.withZram(zramBytes);
    }
}
