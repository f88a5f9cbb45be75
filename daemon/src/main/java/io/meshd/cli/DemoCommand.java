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

    /** The steps, in order: each later feature adds its own. */
    static List<DemoStep> steps() {
        return List.of(new EnvironmentStep(), new VxlanDemoStep(), new GossipDemoStep(), new DnsStep());
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("meshd demo: overlay networking, service discovery and a routing mesh for containers.");
        int failed = 0;
        List<DemoStep> steps = steps();
        for (int i = 0; i < steps.size(); i++) {
            DemoStep step = steps.get(i);
            out.printf("%n[%d/%d] %s%n", i + 1, steps.size(), step.title());
            out.flush();
            boolean ok = step.run(out);
            out.println(ok ? "  -> ok" : "  -> FAILED");
            out.flush();
            if (!ok) {
                failed++;
            }
        }
        out.printf("%ndemo finished: %d of %d steps ok%n", steps.size() - failed, steps.size());
        return failed == 0 ? 0 : 1;
    }
}
