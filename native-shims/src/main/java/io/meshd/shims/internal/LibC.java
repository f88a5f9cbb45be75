package io.meshd.shims.internal;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The few libc functions the shims call, bound by jnr-ffi. Pointers the caller owns (direct buffers, Netty
 * memory addresses) are passed as raw {@code long} addresses so the hot read/write path allocates nothing.
 */
public interface LibC {

    /** {@code open(2)}. */
    int open(String path, int flags);

    /** {@code close(2)}. */
    int close(int fd);

    /** {@code read(2)} into raw memory. */
    long read(int fd, long address, long count);

    /** {@code write(2)} from raw memory. */
    long write(int fd, long address, long count);

    /** {@code writev(2)}: one write gathered from an array of {@code struct iovec} in raw memory. */
    long writev(int fd, long iovecs, int count);

    /**
     * {@code sendmmsg(2)}: {@code count} datagrams described by an array of {@code struct mmsghdr} in raw memory,
     * one system call; returns how many were sent.
     */
    int sendmmsg(int fd, long messages, int count, int flags);

    /** {@code ioctl(2)} with a pointer argument copied in and out (an {@code ifreq}, an {@code int}). */
    int ioctl(int fd, long request, byte[] argument);

    /** {@code ioctl(2)} with an integer argument passed by value ({@code TUNSETOFFLOAD}). */
    int ioctl(int fd, long request, long value);

    /** {@code setns(2)}. */
    int setns(int fd, int nstype);

    /** {@code socket(2)}. */
    int socket(int domain, int type, int protocol);

    /** {@code sendto(2)} from a Java array, with the address as raw bytes. */
    long sendto(int fd, @In byte[] buffer, long length, int flags, @In byte[] address, int addressLength);

    /** {@code recv(2)} into a Java array. */
    long recv(int fd, @Out byte[] buffer, long length, int flags);

    /** {@code setsockopt(2)} with the option value in raw memory. */
    int setsockopt(int fd, int level, int name, long value, int length);

    /** {@code sched_setaffinity(2)} with the CPU mask in raw memory; pid 0 is the calling thread. */
    int schedSetaffinity(int pid, long size, long mask);

    /** {@code sched_getcpu(3)}: the CPU the calling thread runs on. */
    int schedGetcpu();

    /** {@code if_nametoindex(3)}: 0 when no such interface exists in the calling thread's namespace. */
    int ifNameToIndex(String name);

    /** {@code strerror(3)}. */
    String strerror(int errno);

    /** {@code geteuid(2)}. */
    int geteuid();
}
