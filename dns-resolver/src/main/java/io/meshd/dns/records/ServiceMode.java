package io.meshd.dns.records;

/** How a service's own name resolves. */
public enum ServiceMode {
    /** To the service's virtual IPs; the load balancer spreads connections over its tasks. */
    VIP,
    /** To the addresses of every task, shuffled per answer (DNS round robin). */
    DNSRR,
}
