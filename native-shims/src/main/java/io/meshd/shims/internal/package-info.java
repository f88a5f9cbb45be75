/**
 * Native wiring behind the public shims: the jnr-ffi libc binding, errno handling, Linux constants and the
 * rtnetlink message codec. Nothing here is API; it may change with every release.
 */
package io.meshd.shims.internal;
