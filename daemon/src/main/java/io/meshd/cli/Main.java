package io.meshd.cli;

import io.meshd.cli.agent.LogFormat;
import io.meshd.cli.mesh.AttachCommand;
import io.meshd.cli.mesh.DetachCommand;
import io.meshd.cli.mesh.NetworkCommand;
import io.meshd.cli.mesh.ServiceCommand;
import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code meshd} command. Subcommands live in their own classes; register new ones in
 * {@link #SUBCOMMANDS}. Usage errors exit with 2, failures with 1.
 */
@Command(name = "meshd",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Overlay networking (VXLAN), DNS service discovery, gossip, VIP load balancing and a routing mesh.",
        "The agent runs a mesh node and serves a local HTTP/JSON API; network, attach, detach and service use it."},
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Every subcommand, in the order {@code meshd --help} lists them. */
    static final Class<?>[] SUBCOMMANDS = {
        DemoCommand.class,
        AgentCommand.class,
        MembersCommand.class,
        NetworkCommand.class,
        AttachCommand.class,
        DetachCommand.class,
        ServiceCommand.class,
        StatsCommand.class,
        SimulateCommand.class,
        VtepCommand.class,
        DnsCommand.class,
        ProxyCommand.class,
    };

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with every subcommand registered; tests drive it directly. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> sub : SUBCOMMANDS) {
            cli.addSubcommand(sub);
        }
        return cli;
    }

    /**
     * Lets Netty allocate its direct buffers without a Cleaner (with the jar manifest's {@code Add-Opens:
     * java.base/java.nio}), before any Netty class loads. Netty then counts them against its own limit and fails an
     * allocation at once; otherwise they share the JVM's direct-memory limit with the TAP ports' buffers, and when
     * those have used it up, {@code ByteBuffer.allocateDirect} sleeps and retries on the DNS event loop, which then
     * answers no namespace at all ({@code benchmarks/mesh-scale.sh} with a 128 MB heap and 1000 attachments).
     */
    static void directBuffersApart() {
        if (System.getProperty(NO_CLEANER_PROPERTY) == null) {
            System.setProperty(NO_CLEANER_PROPERTY, "true");
        }
    }

    /** The system property that chooses Netty's leak detection level. */
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    /** The system property that lets Netty allocate direct buffers without a Cleaner. */
    static final String NO_CLEANER_PROPERTY = "io.netty.tryReflectionSetAccessible";

    public static void main(String[] args) {
        directBuffersApart();
        quietLeakDetection();
        try {
            LogFormat.fromEnvironment(System.getenv(LogFormat.ENVIRONMENT)).apply();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        int code = 1;
        try {
            code = commandLine().execute(args);
        } catch (Throwable t) { // an Error picocli passes on: exit anyway, or non-daemon threads keep the JVM alive
            t.printStackTrace();
        } finally {
            System.exit(code);
        }
    }

    /**
     * Turns Netty's buffer leak detector off unless {@value #LEAK_DETECTION_PROPERTY} asks for a level. Its default
     * samples one buffer in 128 and records a stack trace when a sampled buffer is released; the VTEP's receive path
     * releases a buffer slice per datagram (about a million a second at 10 Gbit/s), where those traces cost 1-2% of
     * the machine. The tests run it at {@code paranoid}; an operator chasing a leak sets
     * {@code MESHD_JAVA_OPTS=-Dio.netty.leakDetection.level=simple}.
     */
    static void quietLeakDetection() {
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
