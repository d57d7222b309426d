package a64emu.tools;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escape suite: {@code guest/programs/src/root_escape.c} runs under {@code a64emu run
 * --root BASE/root} and tries every way out it knows; BASE holds {@code secret.txt}, whose text
 * must never appear in its output, and nothing outside the root may be created, changed or
 * removed. The root holds host-made links pointing out ({@code abs_link -> BASE/secret.txt},
 * {@code abs_dir_link -> BASE}, {@code rel_link -> ../secret.txt}); the program makes the rest
 * itself. The attempts, in the order the program makes them:
 *
 * <ol>
 *   <li>host_absolute_path: open BASE/secret.txt by its host path
 *   <li>dotdot_at_root: open /../secret.txt
 *   <li>dotdot_many: open ../../../../../../../../secret.txt from /
 *   <li>dotdot_after_chdir: chdir /sub, open ../../secret.txt
 *   <li>chdir_above_root: chdir /, chdir ../.., getcwd and open secret.txt
 *   <li>symlink_absolute: a host-made link to BASE/secret.txt
 *   <li>symlink_absolute_dir: through a host-made link to BASE
 *   <li>symlink_relative: a host-made link ../secret.txt at the root
 *   <li>symlink_relative_deep: a guest-made link ../../../../../../../../secret.txt in /sub
 *   <li>symlink_chain: chain1 -> chain2 -> /chain3 -> abs_link (relative and absolute texts)
 *   <li>symlink_loop: loop_a -> loop_b -> /loop_a (ELOOP)
 *   <li>symlink_self_loop: self -> self/x (ELOOP)
 *   <li>symlink_up_then_dotdot: /sub/up -> ../.., then /sub/up/../secret.txt
 *   <li>symlink_made_by_guest: symlink(BASE/secret.txt) by the guest, then open it
 *   <li>create_through_dangling_link: O_CREAT through a link to BASE/planted.txt
 *   <li>create_through_dir_link: O_CREAT of abs_dir_link/planted.txt
 *   <li>proc_self_root_dotdot: /proc/self/root/../secret.txt
 *   <li>proc_self_root_host_path: /proc/self/root followed by BASE/secret.txt
 *   <li>proc_self_cwd_dotdot: chdir /sub, /proc/self/cwd/../../secret.txt
 *   <li>proc_self_fd_dotdot: /proc/self/fd/N/../secret.txt, N a descriptor of /
 *   <li>proc_self_exe_dotdot: /proc/self/exe/../../secret.txt
 *   <li>proc_thread_self_root: /proc/thread-self/root/../secret.txt
 *   <li>openat_dirfd_dotdot: openat(dirfd of /sub, "../../secret.txt")
 *   <li>openat_opath_dirfd_dotdot: openat(O_PATH dirfd of /, "../secret.txt")
 *   <li>openat_dirfd_moved: a dirfd's directory renamed away and replaced by a guest-made link to BASE
 *   <li>openat_opath_dirfd_moved: the same with an O_PATH dirfd
 *   <li>getdents_dirfd_moved: getdents64 on that dirfd, which must not list BASE
 *   <li>fchdir_moved: fchdir to that O_PATH dirfd, then open secret.txt
 *   <li>chdir_then_swap: the cwd renamed away and replaced by a link to BASE, open secret.txt
 *   <li>chdir_then_swap_create: and O_CREAT planted.txt there
 *   <li>fstat_after_swap: fstat of a file whose directory was swapped for a link to BASE
 *   <li>fchmod_after_swap: fchmod of that file (BASE/secret.txt's mode must not change)
 *   <li>rename_dotdot_target: rename to /../../stolen.txt (stays in the root)
 *   <li>rename_into_dir_link: rename to abs_dir_link/stolen.txt
 *   <li>hardlink_escaping_link: link(abs_link, hard), then open hard
 *   <li>hardlink_follow_escaping_link: linkat(abs_link, AT_SYMLINK_FOLLOW)
 *   <li>mkdir_above_root: mkdir /../../escape_dir (made inside the root)
 *   <li>execve_host_path: execve BASE/outside_prog by its host path
 *   <li>execve_through_link: execve a guest-made link to BASE/outside_prog
 *   <li>execve_dotdot: execve /../outside_prog
 *   <li>openat2_host_path: openat2 of BASE/secret.txt by its host path
 *   <li>openat2_in_root_dotdot: openat2 RESOLVE_IN_ROOT from an O_PATH "/" of ../../secret.txt
 *   <li>openat2_in_root_abs_link: openat2 RESOLVE_IN_ROOT of abs_link (its text read in the root)
 *   <li>openat2_beneath_rel_link: openat2 RESOLVE_BENEATH of rel_link (EXDEV)
 *   <li>openat2_create_dotdot: openat2 O_CREAT of ../planted_by_openat2 from "/" (made inside the root)
 *   <li>execveat_dirfd_dotdot: execveat(O_PATH "/", "../outside_prog")
 *   <li>execveat_host_path: execveat of BASE/outside_prog by its host path
 *   <li>mknodat_fifo_dotdot: mknodat S_IFIFO ../planted_fifo from "/" (made inside the root)
 *   <li>inotify_watch_host_path: inotify_add_watch on BASE/secret.txt
 *   <li>open_tree_host_path: open_tree of BASE/secret.txt
 *   <li>name_to_handle_host_path: name_to_handle_at of BASE/secret.txt
 *   <li>thread_race_symlink_swap: one thread renames /race between a directory and a guest-made
 *       link to BASE while another opens /race/secret.txt 400 times; both yield, so the opens see
 *       both states (the guest kernel runs one system call at a time, so no lookup is interleaved
 *       more finely), and through the link they read the in-root mirror of BASE/secret.txt the
 *       program makes first, never the host file
 * </ol>
 *
 * <p>On Linux some answers would differ and still be blocked: a dirfd or cwd whose directory was
 * moved keeps naming the moved directory there, where here it names what is at its old path.
 */
class RootEscapeTest {
    private static final String SECRET = "TOP-SECRET host file outside the root";

    @TempDir Path base;
    Path root;
    Path secret;

    @BeforeEach
    void setUp() throws IOException {
        base = base.toRealPath();
        secret = Files.writeString(base.resolve("secret.txt"), SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path outsideProg = Files.copy(GuestPrograms.binary("hello"), base.resolve("outside_prog"));
        Files.setPosixFilePermissions(outsideProg, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = Files.createDirectory(base.resolve("root"));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(GuestPrograms.binary("root_escape"), root.resolve("bin/root_escape"));
        Files.writeString(root.resolve("inside.txt"), "inside: the root's own file\n");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/inside.txt"), "inside: sub\n");
        Files.createSymbolicLink(root.resolve("abs_link"), secret);
        Files.createSymbolicLink(root.resolve("abs_dir_link"), base);
        Files.createSymbolicLink(root.resolve("rel_link"), Path.of("../secret.txt"));
    }

    private List<String> outsideNames() throws IOException {
        try (Stream<Path> names = Files.list(base)) {
            return names.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyEscapeAttemptIsBlockedAndNothingOutsideTheRootIsTouched() throws IOException {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--root", root.toString(), "/bin/root_escape", base.toString());

        String out = run.out();
        assertEquals(0, run.status(), out + run.stderr());
        assertFalse(out.contains("TOP-SECRET"), out);
        assertFalse(run.stderr().contains("TOP-SECRET"), run.stderr());
        assertEquals(EXPECTED, out);
        assertEquals(SECRET + "\n", Files.readString(secret));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals(List.of("outside_prog", "root", "secret.txt"), outsideNames(), "nothing made or moved outside");
    }

    private static final String EXPECTED = """
            attempt host_absolute_path: blocked (ENOENT)
            attempt dotdot_at_root: blocked (ENOENT)
            attempt dotdot_many: blocked (ENOENT)
            attempt dotdot_after_chdir: blocked (ENOENT)
            attempt chdir_above_root: blocked (getcwd "/", secret.txt: ENOENT)
            attempt symlink_absolute: blocked (ENOENT)
            attempt symlink_absolute_dir: blocked (ENOENT)
            attempt symlink_relative: blocked (ENOENT)
            attempt symlink_relative_deep: blocked (ENOENT)
            attempt symlink_chain: blocked (ENOENT)
            attempt symlink_loop: blocked (ELOOP)
            attempt symlink_self_loop: blocked (ELOOP)
            attempt symlink_up_then_dotdot: blocked (ENOENT)
            attempt symlink_made_by_guest: blocked (ENOENT)
            attempt create_through_dangling_link: blocked (ENOENT)
            attempt create_through_dir_link: blocked (ENOENT)
            attempt proc_self_root_dotdot: blocked (ENOENT)
            attempt proc_self_root_host_path: blocked (ENOENT)
            attempt proc_self_cwd_dotdot: blocked (ENOENT)
            attempt proc_self_fd_dotdot: blocked (ENOENT)
            attempt proc_self_exe_dotdot: blocked (ENOTDIR)
            attempt proc_thread_self_root: blocked (ENOENT)
            attempt openat_dirfd_dotdot: blocked (ENOENT)
            attempt openat_opath_dirfd_dotdot: blocked (ENOENT)
            attempt openat_dirfd_moved: blocked (ENOENT)
            attempt openat_opath_dirfd_moved: blocked (ENOENT)
            attempt getdents_dirfd_moved: blocked (ENOENT)
            attempt fchdir_moved: blocked (ENOENT)
            attempt chdir_then_swap: blocked (ENOENT)
            attempt chdir_then_swap_create: blocked (ENOENT)
            attempt fstat_after_swap: blocked (size 14)
            attempt fchmod_after_swap: blocked (ENOENT)
            attempt rename_dotdot_target: blocked (renamed to /stolen.txt inside the root)
            attempt rename_into_dir_link: blocked (ENOENT)
            attempt hardlink_escaping_link: blocked (ENOENT)
            attempt hardlink_follow_escaping_link: blocked (ENOENT)
            attempt mkdir_above_root: blocked (made /escape_dir inside the root)
            attempt execve_host_path: blocked (ENOENT)
            attempt execve_through_link: blocked (ENOENT)
            attempt execve_dotdot: blocked (ENOENT)
            attempt openat2_host_path: blocked (ENOENT)
            attempt openat2_in_root_dotdot: blocked (ENOENT)
            attempt openat2_in_root_abs_link: blocked (ENOENT)
            attempt openat2_beneath_rel_link: blocked (EXDEV)
            attempt openat2_create_dotdot: blocked (made /planted_by_openat2 inside the root)
            attempt execveat_dirfd_dotdot: blocked (ENOENT)
            attempt execveat_host_path: blocked (ENOENT)
            attempt mknodat_fifo_dotdot: blocked (made the FIFO /planted_fifo inside the root)
            attempt inotify_watch_host_path: blocked (ENOENT)
            attempt open_tree_host_path: blocked (ENOENT)
            attempt name_to_handle_host_path: blocked (ENOENT)
            attempt thread_race_symlink_swap: blocked (400 opens, read the directory's file and, through the link, the in-root mirror, 0 reached outside)
            done
            """;
}
