package a64emu.tools;

import a64emu.guest.KernelConfig;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Refuses, before the guest starts, a machine the JVM's heap cannot hold: emulated RAM is
 * backed lazily, but a guest under memory pressure touches all of it (zRAM's compressed
 * pages live in it too), and running the JVM out of heap midway would lose the run. The
 * estimate is RAM with the 16-byte header of each frame's array, the kernel's metadata per
 * frame and per swap slot, and room for the emulator itself.
 */
final class HeapCheck {
    private HeapCheck() {}

    /** Bytes of heap per 4 KiB frame besides its data: array header and struct page, LRU, rmap, buddy links. */
    static final long PER_FRAME = 16 + 64;
    /** Bytes per swap slot: swap_map, the swap cache's page and shadow, zRAM's slot table. */
    static final long PER_SWAP_SLOT = 64;
    /** The emulator's own classes, caches and buffers. */
    static final long BASE = 96L << 20;

    /** The heap a run of {@code config} needs at most. */
    static long needed(KernelConfig config) {
        long frames = config.ramBytes() / 4096;
        long slots = config.zramBytes() / 4096;
        return config.ramBytes() + frames * PER_FRAME + slots * PER_SWAP_SLOT + BASE;
    }

    static void requireRoomFor(KernelConfig config, CommandLine cmd) {
        String refusal = refusal(config, Runtime.getRuntime().maxMemory());
        if (refusal != null) {
            throw new ParameterException(cmd, refusal);
        }
    }

    /** Why a JVM whose heap may grow to {@code maxHeap} bytes cannot run {@code config}, or null. */
    static String refusal(KernelConfig config, long maxHeap) {
        long need = needed(config);
        if (maxHeap == Long.MAX_VALUE || need <= maxHeap) {
            return null;
        }
        // Whole GiB, with a quarter GiB to spare for the garbage collector.
        long suggestGiB = (need + (256L << 20) + (1L << 30) - 1) >> 30;
        return String.format(Locale.ROOT,
                "--ram %s needs about %s of Java heap, but this JVM may use only %s: "
                        + "run with A64EMU_JAVA_OPTS=-Xmx%dg (or a smaller --ram)",
                ByteSize.format(config.ramBytes()), ByteSize.format(need), ByteSize.format(maxHeap), suggestGiB);
    }
}
