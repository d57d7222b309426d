package a64emu.guest.proc;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.VmLayout;
import a64emu.memory.PhysicalMemory;
import java.io.ByteArrayOutputStream;

/**
 * Reads another process's memory through its own page tables, the way Linux's access_remote_vm
 * reads it for /proc/pid/cmdline: not through the MMU, whose TTBR0 holds the caller's tables.
 * Only pages that are present are read; a page that is not stops the read there (Linux would
 * fault it in; the argument pages of a live process are always present here).
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
            if (!PageTables.isPresent(pte)) break;
            long pa = PageTables.frameOf(pte) + (at & (VmLayout.PAGE_SIZE - 1));
            long chunk = Math.min(end - at, VmLayout.pageDown(at) + VmLayout.PAGE_SIZE - at);
            byte[] b = new byte[(int) chunk];
            ram.read(pa, b, 0, b.length);
            out.write(b, 0, b.length);
            at += chunk;
        }
        return out.toByteArray();
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
