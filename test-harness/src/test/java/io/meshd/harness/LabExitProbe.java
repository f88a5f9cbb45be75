package io.meshd.harness;

/**
 * A separate JVM for {@link LabExitTest}: builds a small lab, prints its run id and the pid of a process inside
 * it, then either exits without closing the lab ({@code exit}: the shutdown hook must tear it down) or waits to
 * be killed ({@code wait}).
 */
public final class LabExitProbe {

    private LabExitProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Lab lab = Lab.create();
        LabHost a = lab.host("a");
        LabHost b = lab.host("b");
        lab.link(a, "10.97.0.1/24", b, "10.97.0.2/24");
        LabProcess sleeper = a.startProcess("sleep", "600");
        System.out.println(lab.runId() + " " + sleeper.pid());
        System.out.flush();
        if (args.length > 0 && "wait".equals(args[0])) {
            Thread.sleep(60_000);
        }
        System.exit(0);
    }
}
