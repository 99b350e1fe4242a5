/**
 * The experiment grid: {@link dev.lethe.unlearn.harness.Harness#run} takes an
 * {@link dev.lethe.unlearn.harness.Experiment} (methods × scenarios × seeds), reports progress
 * to a {@link dev.lethe.unlearn.harness.HarnessListener}, and returns an
 * {@link dev.lethe.unlearn.harness.ExperimentResult} with per-seed rows and their aggregate;
 * {@link dev.lethe.unlearn.harness.ResultsJson} writes it as JSON.
 */
package dev.lethe.unlearn.harness;
