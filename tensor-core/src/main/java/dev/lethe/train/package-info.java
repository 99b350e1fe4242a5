/**
 * Training and evaluation loops for classifiers: the recipe (optimiser, schedule, batches),
 * one epoch at a time, with results reproducible bit for bit for a seed whatever the threads.
 */
package dev.lethe.train;
