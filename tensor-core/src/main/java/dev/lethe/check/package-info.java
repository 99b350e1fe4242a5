/**
 * Checking the math: numerical gradient checks, the op table that drives them, and the auditors' view.
 */
package dev.lethe.check;
