/**
 * Native calls the data plane needs and the JDK lacks: TAP devices, network namespaces and interface
 * configuration through jnr-ffi. Every facility reports its availability instead of throwing from class
 * initialisation, and kernel errors surface as exceptions naming the call and the errno text.
 */
package io.meshd.shims;
