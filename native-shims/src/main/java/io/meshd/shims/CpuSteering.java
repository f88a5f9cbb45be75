package io.meshd.shims;

import io.meshd.shims.internal.Native;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Steers the datagrams of an {@code SO_REUSEPORT} group by CPU: a classic BPF program attached with
 * {@code SO_ATTACH_REUSEPORT_CBPF} picks the group's socket number {@code cpu % sockets} for each packet, where
 * {@code cpu} is the CPU the kernel processes the packet on (for loopback and most NICs without RPS, the sender's
 * or the receive queue's CPU). Without it the kernel picks by a hash of the 4-tuple, so a few clients can land
 * unevenly on the sockets (8 clients on 2 sockets: 6:2 or worse in 29% of runs). Also pins a thread to a CPU, for
 * tests that check the steering.
 */
public final class CpuSteering {

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    /** {@code BPF_LD | BPF_W | BPF_ABS}: load a word; with the ancillary offset below, the packet's CPU. */
    private static final short LD_W_ABS = 0x20;
    /** {@code SKF_AD_OFF + SKF_AD_CPU}. */
    private static final int AD_CPU = -0x1000 + 36;
    /** {@code BPF_ALU | BPF_MOD | BPF_K}. */
    private static final short ALU_MOD_K = 0x94;
    /** {@code BPF_RET | BPF_A}: the socket index. */
    private static final short RET_A = 0x16;
    private static final int FILTER_BYTES = 8;
    private static final int FPROG_BYTES = 16;

    private CpuSteering() {
    }

    /**
     * Attaches the program to the reuseport group of the bound socket {@code fd}: the group's sockets are numbered in
     * the order they were bound, and packets processed on CPU {@code c} go to socket {@code c % sockets}.
     *
     * @throws NativeException when the kernel refuses (not Linux 4.5+, fd not a reuseport socket)
     */
    public static void attach(int fd, int sockets) {
        if (sockets < 1) {
            throw new IllegalArgumentException("sockets must be at least 1: " + sockets);
        }
        ByteBuffer filter = ByteBuffer.allocateDirect(3 * FILTER_BYTES).order(ByteOrder.nativeOrder());
        instruction(filter, LD_W_ABS, AD_CPU);
        instruction(filter, ALU_MOD_K, sockets);
        instruction(filter, RET_A, 0);
        ByteBuffer program = ByteBuffer.allocateDirect(FPROG_BYTES).order(ByteOrder.nativeOrder());
        program.putShort(0, (short) 3);
        program.putLong(8, Native.address(filter));
        int rc = Native.libc().setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, Native.address(program),
            FPROG_BYTES);
        if (rc != 0) {
            throw NativeException.lastError("setsockopt(SO_ATTACH_REUSEPORT_CBPF) on fd " + fd);
        }
        // The kernel copied the program; the buffers may go.
        Reference.reachabilityFence(filter);
        Reference.reachabilityFence(program);
    }

    private static void instruction(ByteBuffer filter, short code, int k) {
        filter.putShort(code);
        filter.put((byte) 0);
        filter.put((byte) 0);
        filter.putInt(k);
    }

    /** Pins the calling thread to one CPU ({@code sched_setaffinity}). */
    public static void pinCurrentThread(int cpu) {
        if (cpu < 0 || cpu >= 1024) {
            throw new IllegalArgumentException("cpu must be 0..1023: " + cpu);
        }
        ByteBuffer mask = ByteBuffer.allocateDirect(128).order(ByteOrder.nativeOrder());
        mask.putLong(cpu / 64 * 8, 1L << (cpu % 64));
        if (Native.libc().schedSetaffinity(0, 128, Native.address(mask)) != 0) {
            throw NativeException.lastError("sched_setaffinity(cpu " + cpu + ")");
        }
        Reference.reachabilityFence(mask);
    }

    /** The CPU the calling thread runs on now ({@code sched_getcpu}). */
    public static int currentCpu() {
        int cpu = Native.libc().schedGetcpu();
        if (cpu < 0) {
            throw NativeException.lastError("sched_getcpu");
        }
        return cpu;
    }
}
