package io.meshd.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Stands in for the meshd jar in {@link LauncherTest}: prints the JVM's flags and collectors, one per line. */
public final class PrintJvm {
    private PrintJvm() {
    }

    /**
     * Prints {@code arg <flag>} for each JVM flag and {@code gc <name>} for each collector.
     *
     * @param args the command line the launcher passed on (printed as {@code cmd <arg>})
     */
    public static void main(String[] args) {
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            System.out.println("arg " + a);
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            System.out.println("gc " + gc.getName());
        }
        for (String a : args) {
            System.out.println("cmd " + a);
        }
    }
}
