package a64emu.guest.proc;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.VmLayout;
import a64emu.memory.PhysicalMemory;
import java.io.ByteArrayOutputStream;

/**
 * Reads another process's memory through its own page tables, the way Linux's access_remote_vm
 * reads it for /proc/pid/cmdline: not through the MMU, whose TTBR0 holds the caller's tables.
 * Present pages are read from their frames and swapped-out pages from the swap cache or the
 * swap device, leaving them where they are (Linux would fault them in, which changes nothing
 * the reader sees); a page never touched stops the read there.
 */
final class RemoteMemory {
    private RemoteMemory() {}

    /** Up to {@code len} bytes from {@code va}, fewer if a page on the way is not present. */
    static byte[] read(AddressSpace mm, long va, int len) {
        PageTables pt = mm.pageTables();
        PhysicalMemory ram = pt.frames().ram();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long at = va;
        long end = va + len;
        while (at < end) {
            long pte = pt.pte(VmLayout.pageDown(at));
            long chunk = Math.min(end - at, VmLayout.pageDown(at) + VmLayout.PAGE_SIZE - at);
            byte[] b = new byte[(int) chunk];
            int inPage = (int) (at & (VmLayout.PAGE_SIZE - 1));
            if (PageTables.isSwap(pte)) {
                byte[] page = swappedPage(pt, a64emu.mmu.SwapPte.offset(pte));
                if (page == null) break;
                System.arraycopy(page, inPage, b, 0, b.length);
            } else if (PageTables.isPresent(pte)) {
                ram.read(PageTables.frameOf(pte) + inPage, b, 0, b.length);
            } else {
                break;
            }
            out.write(b, 0, b.length);
            at += chunk;
        }
        return out.toByteArray();
    }

    /** A swapped-out page's contents: from the swap cache if it is there, else from the device. */
    private static byte[] swappedPage(PageTables pt, long offset) {
        a64emu.guest.mm.SwapCache cache = pt.frames().swapCache();
        if (cache == null) return null;
        byte[] page = new byte[(int) VmLayout.PAGE_SIZE];
        long pa = cache.find(offset);
        if (pa >= 0) {
            pt.frames().ram().read(pa, page, 0, page.length);
        } else if (cache.swap().device().read(offset, page) != 0) {
            return null;
        }
        return page;
    }

    static long read64(AddressSpace mm, long va) {
        byte[] b = read(mm, va, 8);
        if (b.length < 8) return 0;
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    /**
     * The argument strings as exec laid them out: argc at the initial stack pointer
     * (mm->start_stack), argv[0] after it pointing at arg_start, and argc NUL-terminated strings
     * from there to arg_end. Capped at one page of text more than Linux's cmdline would show.
     */
    static byte[] cmdline(AddressSpace mm) {
        long sp = mm.startStack();
        if (sp == 0) return new byte[0];
        long argc = read64(mm, sp);
        long argStart = read64(mm, sp + 8);
        if (argc <= 0 || argStart == 0) return new byte[0];
        byte[] text = read(mm, argStart, (int) Math.min(mm.layout().stackTop() - argStart, 1 << 20));
        int strings = 0;
        int end = 0;
        while (end < text.length && strings < argc) {
            if (text[end++] == 0) strings++;
        }
        byte[] out = new byte[end];
        System.arraycopy(text, 0, out, 0, end);
        return out;
    }
}
