package a64emu.guest.mm;

import a64emu.guest.Errno;

/**
 * A NUMA memory policy (Linux {@code struct mempolicy}, {@code mm/mempolicy.c}) on the one
 * machine a64emu emulates: CONFIG_NUMA with node 0 alone online and holding memory, as
 * Debian's arm64 kernel on a one-node host. Every page is on node 0 whatever the policy
 * says, so a policy changes no placement; it is kept as set (per thread for set_mempolicy,
 * per area for mbind) so that get_mempolicy reads it back, with Linux's checks.
 *
 * @param mode      MPOL_PREFERRED, BIND, INTERLEAVE, LOCAL or PREFERRED_MANY (MPOL_DEFAULT is no policy: null)
 * @param flags     the mode flags kept with it (MPOL_F_STATIC_NODES, RELATIVE_NODES, NUMA_BALANCING)
 * @param nodes     the policy's nodes ({@code pol->nodes}): the asked ones that are online
 * @param userNodes the nodes as asked ({@code w.user_nodemask}), reported when a mode flag is set
 * @param homeNode  set_mempolicy_home_node's node, or -1 ({@code NUMA_NO_NODE})
 */
public record MemPolicy(int mode, int flags, long nodes, long userNodes, int homeNode) {
    // include/uapi/linux/mempolicy.h
    public static final int MPOL_DEFAULT = 0;
    public static final int MPOL_PREFERRED = 1;
    public static final int MPOL_BIND = 2;
    public static final int MPOL_INTERLEAVE = 3;
    public static final int MPOL_LOCAL = 4;
    public static final int MPOL_PREFERRED_MANY = 5;
    public static final int MPOL_MAX = 6;
    public static final int MPOL_F_STATIC_NODES = 1 << 15;
    public static final int MPOL_F_RELATIVE_NODES = 1 << 14;
    public static final int MPOL_F_NUMA_BALANCING = 1 << 13;
    public static final int MPOL_MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING;
    /** get_mempolicy flags. */
    public static final int MPOL_F_NODE = 1;
    public static final int MPOL_F_ADDR = 2;
    public static final int MPOL_F_MEMS_ALLOWED = 4;
    /** mbind flags (MPOL_MF_VALID). */
    public static final int MPOL_MF_STRICT = 1;
    public static final int MPOL_MF_MOVE = 2;
    public static final int MPOL_MF_MOVE_ALL = 4;
    public static final int MPOL_MF_VALID = MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL;

    /**
     * MAX_NUMNODES: arm64's default CONFIG_NODES_SHIFT of 4, which Debian keeps. A node mask
     * may name no node at or above it.
     */
    public static final int MAX_NUMNODES = 16;
    /** nr_node_ids: one past the highest possible node. */
    public static final int NR_NODE_IDS = 1;
    /** The online nodes with memory ({@code node_states[N_MEMORY]}, cpuset_current_mems_allowed). */
    public static final long MEMS_ALLOWED = 1;

    /**
     * {@code sanitize_mpol_flags}: the mode and its flags split from the argument; null when
     * invalid (EINVAL).
     */
    public static int[] sanitize(int modeArg) {
        int flags = modeArg & MPOL_MODE_FLAGS;
        int mode = modeArg & ~MPOL_MODE_FLAGS;
        if (Integer.compareUnsigned(mode, MPOL_MAX) >= 0) {
            return null;
        }
        if ((flags & MPOL_F_STATIC_NODES) != 0 && (flags & MPOL_F_RELATIVE_NODES) != 0) {
            return null;
        }
        if ((flags & MPOL_F_NUMA_BALANCING) != 0 && mode != MPOL_BIND) {
            return null;
        }
        return new int[] {mode, flags};
    }

    /**
     * {@code mpol_new} then {@code mpol_set_nodemask}: the policy for {@code mode} over the
     * asked {@code nodes}, null for MPOL_DEFAULT; {@code error[0]} is set (EINVAL) when the
     * combination is invalid, as an empty mask for a mode that needs nodes, or nodes of
     * which none is online.
     */
    public static MemPolicy create(int mode, int flags, long nodes, int[] error) {
        boolean relativeOrStatic = (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) != 0;
        if (mode == MPOL_DEFAULT) {
            if (nodes != 0) {
                error[0] = Errno.EINVAL;
            }
            return null;
        }
        if (mode == MPOL_PREFERRED) {
            if (nodes == 0) {
                if (relativeOrStatic) {
                    error[0] = Errno.EINVAL;
                    return null;
                }
                mode = MPOL_LOCAL;
            }
        } else if (mode == MPOL_LOCAL) {
            if (nodes != 0 || relativeOrStatic) {
                error[0] = Errno.EINVAL;
                return null;
            }
        } else if (nodes == 0) {
            error[0] = Errno.EINVAL;
            return null;
        }
        if (mode == MPOL_LOCAL) {
            return new MemPolicy(mode, flags, 0, 0, -1);
        }
        // mpol_set_nodemask: the asked nodes within the allowed ones (mpol_relative_nodemask
        // folds relative node numbers onto them: with one allowed node every bit lands on it).
        long usable = (flags & MPOL_F_RELATIVE_NODES) != 0 ? (nodes != 0 ? MEMS_ALLOWED : 0) : nodes & MEMS_ALLOWED;
        if (usable == 0) {
            error[0] = Errno.EINVAL;
            return null;
        }
        if (mode == MPOL_PREFERRED) {
            usable = Long.lowestOneBit(usable); // mpol_new_preferred: the first node only
        }
        boolean storeUser = (flags & MPOL_MODE_FLAGS) != 0;
        return new MemPolicy(mode, flags, usable, storeUser ? nodes : 0, -1);
    }

    /** What get_mempolicy reports as the mode: the mode with its user-visible flags. */
    public int reportedMode() {
        return mode | (flags & MPOL_MODE_FLAGS);
    }

    /** The mask get_mempolicy reports ({@code get_policy_nodemask}, or the user's mask). */
    public long reportedNodes() {
        if ((flags & MPOL_MODE_FLAGS) != 0) {
            return userNodes;
        }
        return mode == MPOL_LOCAL ? 0 : nodes;
    }

    public MemPolicy withHomeNode(int node) {
        return new MemPolicy(mode, flags, nodes, userNodes, node);
    }

    /** "bind:0", as /proc/PID/numa_maps names a policy ({@code mpol_to_str}). */
    public static String describe(MemPolicy p) {
        if (p == null) {
            return "default";
        }
        String name = switch (p.mode) {
            case MPOL_PREFERRED -> "prefer";
            case MPOL_BIND -> "bind";
            case MPOL_INTERLEAVE -> "interleave";
            case MPOL_LOCAL -> "local";
            case MPOL_PREFERRED_MANY -> "prefer (many)";
            default -> "default";
        };
        StringBuilder sb = new StringBuilder(name);
        if ((p.flags & MPOL_MODE_FLAGS) != 0) {
            sb.append('=');
            if ((p.flags & MPOL_F_STATIC_NODES) != 0) {
                sb.append("static");
            } else if ((p.flags & MPOL_F_RELATIVE_NODES) != 0) {
                sb.append("relative");
            }
            if ((p.flags & MPOL_F_NUMA_BALANCING) != 0) {
                sb.append((p.flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) != 0 ? "|" : "")
                        .append("balancing");
            }
        }
        if (p.mode != MPOL_LOCAL && p.nodes != 0) {
            sb.append(':').append(nodeList(p.nodes));
        }
        return sb.toString();
    }

    private static String nodeList(long mask) {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < 64; n++) {
            if ((mask & (1L << n)) != 0) {
                sb.append(sb.length() == 0 ? "" : ",").append(n);
            }
        }
        return sb.toString();
    }
}
