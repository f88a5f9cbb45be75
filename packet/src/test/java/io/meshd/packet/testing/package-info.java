/**
 * Test fixtures shared through the packet test jar: real frames ({@link io.meshd.packet.testing.TestFrames}, from
 * captures or built field by field) and reproducible seeded properties
 * ({@link io.meshd.packet.testing.SeededProperty}).
 */
package io.meshd.packet.testing;
