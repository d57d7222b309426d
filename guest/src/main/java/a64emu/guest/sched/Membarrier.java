package a64emu.guest.sched;

import a64emu.guest.Errno;
import a64emu.guest.mm.AddressSpace;

/**
 * membarrier(2) (Linux {@code kernel/sched/membarrier.c}, 6.1, on arm64 with CONFIG_RSEQ and
 * ARCH_HAS_MEMBARRIER_SYNC_CORE): the commands and the per-address-space registrations the
 * expedited ones need. a64emu runs one guest thread at a time on its one CPU, and every
 * switch between threads is a full barrier, so each barrier is already complete when the
 * call is made; what is left to get right is which calls are allowed (EPERM before the
 * registration, EINVAL for unknown commands and flags), and what they answer.
 */
public final class Membarrier {
    // include/uapi/linux/membarrier.h
    public static final int CMD_QUERY = 0;
    public static final int CMD_GLOBAL = 1 << 0;
    public static final int CMD_GLOBAL_EXPEDITED = 1 << 1;
    public static final int CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;
    public static final int CMD_PRIVATE_EXPEDITED = 1 << 3;
    public static final int CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
    public static final int CMD_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5;
    public static final int CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6;
    public static final int CMD_PRIVATE_EXPEDITED_RSEQ = 1 << 7;
    public static final int CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 1 << 8;
    public static final int CMD_FLAG_CPU = 1;
    /** MEMBARRIER_CMD_BITMASK: every command but QUERY (GET_REGISTRATIONS came in 6.3). */
    public static final int CMD_BITMASK = (1 << 9) - 1;

    // include/linux/sched/mm.h: mm->membarrier_state
    static final int STATE_PRIVATE_EXPEDITED_READY = 1 << 0;
    static final int STATE_PRIVATE_EXPEDITED = 1 << 1;
    static final int STATE_GLOBAL_EXPEDITED_READY = 1 << 2;
    static final int STATE_GLOBAL_EXPEDITED = 1 << 3;
    static final int STATE_PRIVATE_EXPEDITED_SYNC_CORE_READY = 1 << 4;
    static final int STATE_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5;
    static final int STATE_PRIVATE_EXPEDITED_RSEQ_READY = 1 << 6;
    static final int STATE_PRIVATE_EXPEDITED_RSEQ = 1 << 7;

    private enum Kind { PLAIN, SYNC_CORE, RSEQ }

    private Membarrier() {}

    /** membarrier(cmd, flags, cpu_id) for a thread of {@code mm}: 0, the command mask, or -errno. */
    public static int call(AddressSpace mm, int cmd, int flags, int cpuId) {
        if (cmd == CMD_PRIVATE_EXPEDITED_RSEQ) {
            if (flags != 0 && flags != CMD_FLAG_CPU) {
                return -Errno.EINVAL;
            }
        } else if (flags != 0) {
            return -Errno.EINVAL;
        }
        return switch (cmd) {
            case CMD_QUERY -> CMD_BITMASK; // no nohz_full CPUs: MEMBARRIER_CMD_GLOBAL stays
            case CMD_GLOBAL, CMD_GLOBAL_EXPEDITED -> 0; // synchronize_rcu; IPIs to registered mms
            case CMD_REGISTER_GLOBAL_EXPEDITED -> {
                mm.setMembarrierState(mm.membarrierState() | STATE_GLOBAL_EXPEDITED | STATE_GLOBAL_EXPEDITED_READY);
                yield 0;
            }
            case CMD_PRIVATE_EXPEDITED -> expedited(mm, Kind.PLAIN);
            case CMD_REGISTER_PRIVATE_EXPEDITED -> register(mm, Kind.PLAIN);
            case CMD_PRIVATE_EXPEDITED_SYNC_CORE -> expedited(mm, Kind.SYNC_CORE);
            case CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE -> register(mm, Kind.SYNC_CORE);
            // With MEMBARRIER_CMD_FLAG_CPU a CPU that does not exist is no error either.
            case CMD_PRIVATE_EXPEDITED_RSEQ -> expedited(mm, Kind.RSEQ);
            case CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ -> register(mm, Kind.RSEQ);
            default -> -Errno.EINVAL;
        };
    }

    private static int ready(Kind kind) {
        return switch (kind) {
            case PLAIN -> STATE_PRIVATE_EXPEDITED_READY;
            case SYNC_CORE -> STATE_PRIVATE_EXPEDITED_SYNC_CORE_READY;
            case RSEQ -> STATE_PRIVATE_EXPEDITED_RSEQ_READY;
        };
    }

    /** {@code membarrier_private_expedited}: EPERM unless this kind was registered. */
    private static int expedited(AddressSpace mm, Kind kind) {
        return (mm.membarrierState() & ready(kind)) == 0 ? -Errno.EPERM : 0;
    }

    /**
     * {@code membarrier_register_private_expedited}: each kind has its own ready bit; all of
     * them set the PRIVATE_EXPEDITED state, but only the plain registration makes plain
     * PRIVATE_EXPEDITED allowed.
     */
    private static int register(AddressSpace mm, Kind kind) {
        int state = mm.membarrierState();
        if ((state & ready(kind)) != 0) {
            return 0;
        }
        int set = STATE_PRIVATE_EXPEDITED;
        if (kind == Kind.SYNC_CORE) {
            set |= STATE_PRIVATE_EXPEDITED_SYNC_CORE;
        } else if (kind == Kind.RSEQ) {
            set |= STATE_PRIVATE_EXPEDITED_RSEQ;
        }
        mm.setMembarrierState(state | set | ready(kind));
        return 0;
    }
}
