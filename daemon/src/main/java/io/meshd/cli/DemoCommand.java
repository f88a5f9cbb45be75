package io.meshd.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code meshd demo}: runs every demo step in turn and reports what each one showed. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Shows meshd working on this machine, step by step, and says what each step does.")
final class DemoCommand implements Callable<Integer> {

    /**
     * The steps, in order: the environment, the overlay, the DNS responder alone, then the whole mesh (whose gossip
     * cluster, failure detection and DNS views replace the separate gossip step).
     */
    static List<DemoStep> steps(boolean namespaces) {
        return List.of(new EnvironmentStep(), namespaces ? new VxlanDemoStep() : new SkippedStep(
            "VXLAN overlay: two hosts, one container each, ping across meshd VTEPs"), new DnsStep(),
            new MeshDemoStep(namespaces));
    }

    @CommandLine.Option(names = "--no-namespaces",
        description = "Runs only the steps that need no root, even as root (what an unprivileged user sees).")
    private boolean noNamespaces;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("meshd demo: overlay networking, service discovery and a routing mesh for containers.");
        return run(steps(!noNamespaces), out);
    }

    /** Runs the steps in turn; a step that throws counts as failed and the rest still run. Returns the exit code. */
    static int run(List<DemoStep> steps, PrintWriter out) {
        int failed = 0;
        for (int i = 0; i < steps.size(); i++) {
            DemoStep step = steps.get(i);
            out.printf("%n[%d/%d] %s%n", i + 1, steps.size(), step.title());
            out.flush();
            boolean ok;
            try {
                ok = step.run(out);
            } catch (Exception e) {
                out.println("  error: " + e);
                ok = false;
            }
            out.println(ok ? "  -> ok" : "  -> FAILED");
            out.flush();
            if (!ok) {
                failed++;
            }
        }
        out.printf("%ndemo finished: %d of %d steps ok%n", steps.size() - failed, steps.size());
        return failed == 0 ? 0 : 1;
    }

    /** A step left out by {@code --no-namespaces}: says so and counts as shown. */
    private record SkippedStep(String title) implements DemoStep {
        @Override
        public boolean run(PrintWriter out) {
            out.println("  skipped: needs namespaces (--no-namespaces)");
            return true;
        }
    }
}
