package io.meshd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code meshd} command. Subcommands live in their own classes; register new ones in
 * {@link #SUBCOMMANDS}. Usage errors exit with 2, failures with 1.
 */
@Command(name = "meshd",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Overlay networking, service discovery and a routing mesh for containers.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Every subcommand, in the order {@code meshd --help} lists them. */
    static final Class<?>[] SUBCOMMANDS = {
        DemoCommand.class,
        AgentCommand.class,
        MembersCommand.class,
        SimulateCommand.class,
        VtepCommand.class,
        DnsCommand.class,
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

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
