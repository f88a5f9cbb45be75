/**
 * Native calls the data plane needs and the JDK lacks: TAP devices, network namespaces and interface
 * configuration through jnr-ffi, plus the one check of what the host offers ({@link
 * io.meshd.shims.HostRequirements}) and the one way to make and delete named namespaces ({@link
 * io.meshd.shims.NamedNamespaces}). Every facility reports its availability instead of throwing from class
 * initialisation, and kernel errors surface as exceptions naming the call and the errno text.
 */
package io.meshd.shims;
