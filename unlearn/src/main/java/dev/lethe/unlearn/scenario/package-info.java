/**
 * Deletion requests: {@link dev.lethe.unlearn.scenario.Scenarios#parse} turns a spec
 * ({@code class:K}, {@code random:F}, {@code indices:FILE}, {@code seq:random:FxN},
 * {@code seq:class:K1,K2}) into a {@link dev.lethe.unlearn.Scenario} whose splits are a pure
 * function of the data and the seed.
 */
package dev.lethe.unlearn.scenario;
