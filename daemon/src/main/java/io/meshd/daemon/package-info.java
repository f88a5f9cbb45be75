/**
 * The daemon's composition of the libraries: the pieces that join two modules which do not know each other, such
 * as the load balancer's VIP NAT plugged into the overlay switch.
 */
package io.meshd.daemon;
