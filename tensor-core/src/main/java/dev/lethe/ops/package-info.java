/**
 * The op set. One op, one file: forward, backward and shape rule together, with the formula in the Javadoc.
 */
package dev.lethe.ops;
