package a64emu.guest.mm;

import a64emu.guest.Errno;
import java.util.List;

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

    /**
     * The range part of {@code do_mbind}: {@code queue_pages_range}'s checks, then
     * {@code mbind_range} giving the areas of [start, end) {@code policy} (split at the
     * edges). Holes are EFAULT unless the policy is MPOL_DEFAULT (MPOL_MF_DISCONTIG_OK), a
     * range wholly in a hole always; with MPOL_MF_STRICT and no MOVE flag, a resident page on
     * a node outside {@code askedNodes} is EIO and nothing changes (node 0 is outside only
     * an empty mask: MPOL_LOCAL, or MPOL_PREFERRED without nodes). Moving has nothing to do
     * on one node.
     */
    public static int mbind(AddressSpace mm, long start, long end, MemPolicy policy, long askedNodes, int flags) {
        List<Vma> areas = mm.overlapping(start, end);
        if (areas.isEmpty()) {
            return -Errno.EFAULT;
        }
        if (policy != null) {
            long at = start;
            for (Vma v : areas) {
                if (v.start() > at) {
                    return -Errno.EFAULT;
                }
                at = v.end();
            }
            if (at < end) {
                return -Errno.EFAULT;
            }
        }
        boolean strictOnly = (flags & MPOL_MF_STRICT) != 0 && (flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) == 0;
        if (strictOnly && (askedNodes & 1) == 0 && policy != null) {
            for (Vma v : areas) {
                if (hasNormalPage(mm, Math.max(start, v.start()), Math.min(end, v.end()))) {
                    return -Errno.EIO;
                }
            }
        }
        mm.splitAt(start);
        mm.splitAt(end);
        for (Vma v : mm.overlapping(start, end)) {
            if (!java.util.Objects.equals(v.policy(), policy)) {
                mm.replace(v, v.withPolicy(policy));
            }
        }
        return 0;
    }

    /** Whether [start, end) maps a page of its own ({@code vm_normal_page}: not the zero page). */
    private static boolean hasNormalPage(AddressSpace mm, long start, long end) {
        boolean[] found = new boolean[1];
        mm.pageTables().forEachPresent(start, end, (va, pte) -> {
            if (!PageTables.isSpecial(pte)) {
                found[0] = true;
            }
            return pte;
        });
        return found[0];
    }

    /**
     * set_mempolicy_home_node over [start, end): each area with a policy of its own gets
     * the home node; ENOENT if none has one, EOPNOTSUPP at the first whose mode is neither
     * MPOL_BIND nor MPOL_PREFERRED_MANY (the areas before it keep their new home node).
     */
    public static int setHomeNode(AddressSpace mm, long start, long end, int node) {
        int err = -Errno.ENOENT;
        for (Vma v : mm.overlapping(start, end)) {
            if (v.policy() == null) {
                continue;
            }
            if (v.policy().mode() != MPOL_BIND && v.policy().mode() != MPOL_PREFERRED_MANY) {
                return -Errno.ENOTSUP; // EOPNOTSUPP
            }
            long from = Math.max(start, v.start());
            long to = Math.min(end, v.end());
            MemPolicy p = v.policy().withHomeNode(node);
            mm.splitAt(from);
            mm.splitAt(to);
            for (Vma piece : mm.overlapping(from, to)) {
                mm.replace(piece, piece.withPolicy(p));
            }
            err = 0;
        }
        return err;
    }

    /**
     * move_pages' status of the page at {@code va} ({@code do_pages_stat_array} with
     * {@code follow_page(FOLL_GET | FOLL_DUMP)}): its node, 0, for a page of its own;
     * -EFAULT outside every area, for the zero page and for an anonymous page never
     * touched; -ENOENT for a file page not mapped yet or a page out on swap.
     */
    public static int pageStatus(AddressSpace mm, long va) {
        Vma v = mm.find(va);
        if (v == null) {
            return -Errno.EFAULT;
        }
        long pte = mm.pageTables().pte(VmLayout.pageDown(va));
        if (pte == 0) {
            return v.isAnonymous() ? -Errno.EFAULT : -Errno.ENOENT;
        }
        if (PageTables.isSwap(pte)) {
            return -Errno.ENOENT;
        }
        return PageTables.isSpecial(pte) ? -Errno.EFAULT : 0;
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
