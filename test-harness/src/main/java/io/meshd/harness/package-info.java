/**
 * Test support shared by every module: a lab of hosts built as network namespaces, packet capture inside
 * them, kernel VXLAN peers, and the JUnit conditions that skip privileged tests outside CI and fail them inside it.
 */
package io.meshd.harness;
