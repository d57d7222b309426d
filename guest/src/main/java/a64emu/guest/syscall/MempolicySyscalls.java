package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.MemPolicy;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import a64emu.mmu.AccessType;

/**
 * The NUMA memory-policy calls (Linux {@code mm/mempolicy.c}, {@code mm/migrate.c}):
 * set_mempolicy, get_mempolicy, mbind, set_mempolicy_home_node, migrate_pages and
 * move_pages, on a machine whose only node is 0 ({@link MemPolicy}). Node masks are read
 * and written as Linux's {@code get_nodes} and {@code copy_nodes_to_user} do.
 */
final class MempolicySyscalls {
    private static final long PAGE = VmLayout.PAGE_SIZE;
    /** move_pages reads and writes its arrays in chunks of this many (DO_PAGES_STAT_CHUNK_NR). */
    private static final int STAT_CHUNK = 16;

    private final Process process;

    MempolicySyscalls(Process process) {
        this.process = process;
    }

    private Task current() {
        return process.kernel != null && process.kernel.running() != null ? process.kernel.running() : process.current;
    }

    /**
     * {@code get_nodes}: the node mask of {@code maxnode - 1} bits at {@code nmask}; bits the
     * kernel has no node for (MAX_NUMNODES and above) must be clear. Returns the mask, or
     * in {@code error[0]} EINVAL or EFAULT.
     */
    private long getNodes(long nmask, long maxnode, int[] error) throws BadUserAddressException {
        maxnode--;
        if (maxnode == 0 || nmask == 0) {
            return 0;
        }
        if (Long.compareUnsigned(maxnode, PAGE * 8) > 0) {
            error[0] = Errno.EINVAL;
            return 0;
        }
        while (maxnode > MemPolicy.MAX_NUMNODES) {
            long bits = Math.min(maxnode, 64);
            long t = bitmapWord(nmask + 8 * ((maxnode - 1) / 64), bits);
            if (maxnode - bits >= MemPolicy.MAX_NUMNODES) {
                maxnode -= bits;
            } else {
                maxnode = MemPolicy.MAX_NUMNODES;
                t &= ~((1L << (MemPolicy.MAX_NUMNODES % 64)) - 1);
            }
            if (t != 0) {
                error[0] = Errno.EINVAL;
                return 0;
            }
        }
        return bitmapWord(nmask, maxnode);
    }

    /** {@code get_bitmap} of one word: its low {@code bits} bits (all 64 for a multiple of 64). */
    private long bitmapWord(long va, long bits) throws BadUserAddressException {
        long w = process.user.read64(va);
        return bits % 64 == 0 ? w : w & ((1L << (bits % 64)) - 1);
    }

    /** set_mempolicy(mode, nmask, maxnode): the calling thread's policy. */
    long setMempolicy(int mode, long nmask, long maxnode) throws BadUserAddressException {
        int[] mf = MemPolicy.sanitize(mode);
        if (mf == null) {
            return -Errno.EINVAL;
        }
        int[] error = new int[1];
        long nodes = getNodes(nmask, maxnode, error);
        if (error[0] != 0) {
            return -error[0];
        }
        MemPolicy p = MemPolicy.create(mf[0], mf[1], nodes, error);
        if (error[0] != 0) {
            return -error[0];
        }
        current().mempolicy = p;
        return 0;
    }

    /** get_mempolicy(policy, nmask, maxnode, addr, flags) ({@code kernel_get_mempolicy}). */
    long getMempolicy(long policyVa, long nmask, long maxnode, long addr, long flags) throws BadUserAddressException {
        if (nmask != 0 && Long.compareUnsigned(maxnode, MemPolicy.NR_NODE_IDS) < 0) {
            return -Errno.EINVAL;
        }
        addr = FaultHandler.untag(addr);
        if ((flags & ~(long) (MemPolicy.MPOL_F_NODE | MemPolicy.MPOL_F_ADDR | MemPolicy.MPOL_F_MEMS_ALLOWED)) != 0) {
            return -Errno.EINVAL;
        }
        int value;
        long nodes;
        if ((flags & MemPolicy.MPOL_F_MEMS_ALLOWED) != 0) {
            if ((flags & (MemPolicy.MPOL_F_NODE | MemPolicy.MPOL_F_ADDR)) != 0) {
                return -Errno.EINVAL;
            }
            value = 0;
            nodes = MemPolicy.MEMS_ALLOWED;
        } else {
            MemPolicy pol;
            boolean taskPolicy;
            if ((flags & MemPolicy.MPOL_F_ADDR) != 0) {
                Vma v = process.mm.find(addr);
                if (v == null) {
                    return -Errno.EFAULT;
                }
                pol = v.policy(); // no fall-back to the task's: MPOL_DEFAULT when the area has none
                taskPolicy = false;
            } else if (addr != 0) {
                return -Errno.EINVAL;
            } else {
                pol = current().mempolicy;
                taskPolicy = true;
            }
            if ((flags & MemPolicy.MPOL_F_NODE) != 0) {
                if ((flags & MemPolicy.MPOL_F_ADDR) != 0) {
                    int node = lookupNode(addr);
                    if (node < 0) {
                        return node;
                    }
                    value = node;
                } else if (taskPolicy && pol != null && pol.mode() == MemPolicy.MPOL_INTERLEAVE) {
                    value = 0; // next_node_in(il_prev, nodes): node 0 is the only one
                } else {
                    return -Errno.EINVAL;
                }
            } else {
                value = pol == null ? MemPolicy.MPOL_DEFAULT : pol.reportedMode();
            }
            nodes = pol == null ? 0 : pol.reportedNodes();
        }
        if (policyVa != 0) {
            process.user.write32(policyVa, value);
        }
        if (nmask != 0) {
            return copyNodesToUser(nmask, maxnode, nodes);
        }
        return 0;
    }

    /**
     * {@code lookup_node}: get_user_pages on the page (a read fault, as the kernel takes it)
     * and the node of the page found: 0. EFAULT if the page cannot be had.
     */
    private int lookupNode(long addr) {
        long page = VmLayout.pageDown(addr);
        long pte = process.mm.pageTables().pte(page);
        if (PageTables.isPresent(pte)) {
            return 0;
        }
        FaultHandler.Result r = process.faults.pageFault(page, AccessType.READ);
        return r.resolved() ? 0 : -Errno.EFAULT;
    }

    /**
     * {@code copy_nodes_to_user}: {@code maxnode - 1} bits rounded up to whole words; past
     * the kernel's nr_node_ids words they are cleared (at most a page of them).
     */
    private long copyNodesToUser(long mask, long maxnode, long nodes) throws BadUserAddressException {
        long copy = ((maxnode - 1 + 63) & ~63L) / 8;
        long nbytes = 8; // BITS_TO_LONGS(nr_node_ids) * sizeof(long)
        if (Long.compareUnsigned(copy, nbytes) > 0) {
            if (Long.compareUnsigned(copy, PAGE) > 0) {
                return -Errno.EINVAL;
            }
            process.user.write(mask + nbytes, new byte[(int) (copy - nbytes)]);
            copy = nbytes;
        }
        if (copy == 8) {
            process.user.write64(mask, nodes);
        }
        return 0;
    }

    /** mbind(start, len, mode, nmask, maxnode, flags) ({@code kernel_mbind}, {@code do_mbind}). */
    long mbind(long start, long len, int mode, long nmask, long maxnode, long flags) throws BadUserAddressException {
        start = FaultHandler.untag(start);
        int[] mf = MemPolicy.sanitize(mode);
        if (mf == null) {
            return -Errno.EINVAL;
        }
        int[] error = new int[1];
        long nodes = getNodes(nmask, maxnode, error);
        if (error[0] != 0) {
            return -error[0];
        }
        if ((flags & ~(long) MemPolicy.MPOL_MF_VALID) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & MemPolicy.MPOL_MF_MOVE_ALL) != 0 && !process.capable(Process.CAP_SYS_NICE)) {
            return -Errno.EPERM;
        }
        if ((start & (PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        if (mf[0] == MemPolicy.MPOL_DEFAULT) {
            flags &= ~MemPolicy.MPOL_MF_STRICT;
        }
        len = (len + PAGE - 1) & ~(PAGE - 1);
        long end = start + len;
        if (Long.compareUnsigned(end, start) < 0) {
            return -Errno.EINVAL;
        }
        if (end == start) {
            return 0;
        }
        MemPolicy p = MemPolicy.create(mf[0], mf[1], nodes, error);
        if (error[0] != 0) {
            return -error[0];
        }
        return MemPolicy.mbind(process.mm, start, end, p, nodes, (int) flags);
    }

    /** set_mempolicy_home_node(start, len, home_node, flags). */
    long setMempolicyHomeNode(long start, long len, long homeNode, long flags) {
        start = FaultHandler.untag(start);
        if ((start & (PAGE - 1)) != 0 || flags != 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(homeNode, MemPolicy.MAX_NUMNODES) >= 0 || homeNode != 0) {
            return -Errno.EINVAL; // node_online: node 0 alone
        }
        len = (len + PAGE - 1) & ~(PAGE - 1);
        long end = start + len;
        if (Long.compareUnsigned(end, start) < 0) {
            return -Errno.EINVAL;
        }
        if (end == start) {
            return 0;
        }
        return MemPolicy.setHomeNode(process.mm, start, end, (int) homeNode);
    }

    /**
     * The process {@code pid} names for migrate_pages and move_pages (0: the caller), after
     * {@code ptrace_may_access(PTRACE_MODE_READ_REALCREDS)}; null with the errno in
     * {@code error[0]} (ESRCH, EPERM, EINVAL for one without memory).
     */
    private Process target(int pid, int[] error) {
        Process p;
        if (pid == 0 || pid == process.pid || pid == current().tid) {
            p = process;
        } else {
            Task t = process.kernel == null ? null : process.kernel.task(pid);
            if (t == null) {
                error[0] = Errno.ESRCH;
                return null;
            }
            p = t.process;
            if (!mayReadRealCreds(p)) {
                error[0] = Errno.EPERM;
                return null;
            }
        }
        if (p.mm.isReleased()) {
            error[0] = Errno.EINVAL; // get_task_mm: none
            return null;
        }
        return p;
    }

    /** ptrace_may_access(PTRACE_MODE_READ_REALCREDS). */
    private boolean mayReadRealCreds(Process target) {
        return PtraceAccess.mayAccess(process, target, false);
    }

    /**
     * migrate_pages(pid, maxnode, old_nodes, new_nodes) ({@code kernel_migrate_pages}): the
     * new nodes must be allowed to the target (EPERM without CAP_SYS_NICE) and some of them
     * to the caller (EINVAL); every page is already on node 0, so none moves: 0 pages left.
     */
    long migratePages(int pid, long maxnode, long oldNodes, long newNodes) throws BadUserAddressException {
        int[] error = new int[1];
        getNodes(oldNodes, maxnode, error);
        if (error[0] != 0) {
            return -error[0];
        }
        long to = getNodes(newNodes, maxnode, error);
        if (error[0] != 0) {
            return -error[0];
        }
        Process p = targetForMigrate(pid, error);
        if (p == null) {
            return -error[0];
        }
        if ((to & ~MemPolicy.MEMS_ALLOWED) != 0 && !process.capable(Process.CAP_SYS_NICE)) {
            return -Errno.EPERM;
        }
        if ((to & MemPolicy.MEMS_ALLOWED) == 0) {
            return -Errno.EINVAL;
        }
        if (p.mm.isReleased()) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /** migrate_pages finds the task first (ESRCH) and checks access (EPERM), the mm only later. */
    private Process targetForMigrate(int pid, int[] error) {
        if (pid == 0 || pid == process.pid || pid == current().tid) {
            return process;
        }
        Task t = process.kernel == null ? null : process.kernel.task(pid);
        if (t == null) {
            error[0] = Errno.ESRCH;
            return null;
        }
        if (!mayReadRealCreds(t.process)) {
            error[0] = Errno.EPERM;
            return null;
        }
        return t.process;
    }

    /**
     * move_pages(pid, count, pages, nodes, status, flags) ({@code kernel_move_pages}): with
     * {@code nodes} NULL, each page's node or -errno ({@link MemPolicy#pageStatus}); with
     * nodes, each target node must be 0 (ENODEV for one without memory, ending the call) and
     * every page that is there stays, its status 0.
     */
    long movePages(int pid, long count, long pages, long nodes, long status, int flags)
            throws BadUserAddressException {
        if ((flags & ~(MemPolicy.MPOL_MF_MOVE | MemPolicy.MPOL_MF_MOVE_ALL)) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & MemPolicy.MPOL_MF_MOVE_ALL) != 0 && !process.capable(Process.CAP_SYS_NICE)) {
            return -Errno.EPERM;
        }
        int[] error = new int[1];
        Process p = target(pid, error);
        if (p == null) {
            return -error[0];
        }
        if (nodes == 0) {
            for (long done = 0; done < count; ) {
                int chunk = (int) Math.min(STAT_CHUNK, count - done);
                long[] addrs = new long[chunk];
                for (int i = 0; i < chunk; i++) {
                    addrs[i] = process.user.read64(pages + 8 * (done + i));
                }
                for (int i = 0; i < chunk; i++) {
                    int s = status(p, addrs[i]);
                    process.user.write32(status + 4 * (done + i), s);
                }
                done += chunk;
            }
            return 0;
        }
        for (long i = 0; i < count; i++) {
            long addr = FaultHandler.untag(process.user.read64(pages + 8 * i));
            int node = process.user.read32(nodes + 4 * i);
            if (node < 0 || node >= MemPolicy.MAX_NUMNODES || (MemPolicy.MEMS_ALLOWED & (1L << node)) == 0) {
                return -Errno.ENODEV; // no such node, or one without memory (node_state N_MEMORY)
            }
            process.user.write32(status + 4 * i, status(p, addr));
        }
        return 0;
    }

    private int status(Process p, long va) {
        if (p == process) {
            return MemPolicy.pageStatus(p.mm, FaultHandler.untag(va));
        }
        int[] s = new int[1];
        process.kernel.withAddressSpace(p, () -> s[0] = MemPolicy.pageStatus(p.mm, FaultHandler.untag(va)));
        return s[0];
    }
}
