package io.meshd.shims;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What this host must offer before TAP devices and named network namespaces can be used: Linux, root,
 * {@code /dev/net/tun}, and for namespaces the {@code ip} command (iproute2). Checked without native calls, so the
 * answer is reported, never thrown; {@link NativeShims}, the test harness's lab and the CLI demo all ask here.
 */
public final class HostRequirements {

    private static final Path TUN = Path.of("/dev/net/tun");
    /** Searched after {@code PATH}: root's tools live there and a user's {@code PATH} may lack them. */
    private static final String SBIN_DIRECTORIES = ":/usr/sbin:/sbin:/usr/local/sbin:/usr/bin:/bin";

    private HostRequirements() {
    }

    /**
     * Why TAP devices and namespaces cannot be used here (not Linux, not root, no {@code /dev/net/tun}), or empty.
     *
     * @return every missing piece, joined with "; "
     */
    public static Optional<String> missingForTap() {
        return join(tapReasons());
    }

    /**
     * Why named namespaces and TAPs cannot be set up here: {@link #missingForTap()} plus the {@code ip} command and
     * every command given.
     *
     * @param commands further commands that must be on {@code PATH}
     * @return every missing piece, joined with "; ", or empty
     */
    public static Optional<String> missing(String... commands) {
        List<String> reasons = tapReasons();
        List<String> wanted = new ArrayList<>(List.of("ip"));
        wanted.addAll(List.of(commands));
        for (String command : wanted) {
            if (onPath(command).isEmpty()) {
                reasons.add("command '" + command + "' not found on PATH");
            }
        }
        return join(reasons);
    }

    /**
     * Whether the effective user is root, read from {@code /proc/self/status} (no native call).
     *
     * @return true for effective uid 0
     */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] fields = line.split("\\s+");
                    return fields.length > 2 && "0".equals(fields[2]);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * Whether the TUN/TAP device node exists.
     *
     * @return true when {@code /dev/net/tun} exists
     */
    public static boolean hasTun() {
        return Files.exists(TUN);
    }

    /**
     * The absolute path of a command on {@code PATH}, or in the sbin and bin directories root uses.
     *
     * @param command a command name
     * @return its path, if found and executable
     */
    public static Optional<Path> onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + SBIN_DIRECTORIES;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, command);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> tapReasons() {
        List<String> reasons = new ArrayList<>();
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            reasons.add("not Linux");
            return reasons;
        }
        if (!isRoot()) {
            reasons.add("not running as root (TAP devices and setns need it)");
        }
        if (!hasTun()) {
            reasons.add("no /dev/net/tun (tun module not loaded?)");
        }
        return reasons;
    }

    private static Optional<String> join(List<String> reasons) {
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }
}
