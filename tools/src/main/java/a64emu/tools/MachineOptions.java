package a64emu.tools;

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
}
