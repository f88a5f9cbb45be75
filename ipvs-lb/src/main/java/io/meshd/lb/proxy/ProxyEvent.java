package io.meshd.lb.proxy;

/** What a proxy counts ({@code meshd_proxy_events_total{event=...}}). */
public enum ProxyEvent {
    /** TCP connections accepted from clients. */
    ACCEPTED,
    /** Connections made to a backend (TCP) or sessions opened towards one (UDP). */
    BACKEND_CONNECTED,
    /** Connection attempts a backend refused or let time out (the backend is then marked down). */
    BACKEND_FAILED,
    /** Clients turned away because every backend was down. */
    NO_BACKEND,
    /** Backends marked up again by a retry. */
    BACKEND_RECOVERED,
    /** UDP datagrams relayed from clients to backends. */
    UDP_FORWARDED,
    /** UDP datagrams relayed from backends back to clients. */
    UDP_RETURNED,
    /** UDP datagrams dropped: too many sessions, or too many queued while a session connects. */
    UDP_DROPPED,
    /** UDP sessions closed after their idle timeout. */
    UDP_SESSION_EXPIRED,
}
