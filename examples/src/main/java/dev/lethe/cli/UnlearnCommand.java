package dev.lethe.cli;

import dev.lethe.data.FashionMnist;
import dev.lethe.io.SafeTensors;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Device;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.Scenario;
import dev.lethe.unlearn.harness.Experiment;
import dev.lethe.unlearn.methods.Methods;
import dev.lethe.unlearn.report.ReportOptions;
import dev.lethe.unlearn.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code lethe unlearn}: trains (or loads) the original model, runs the chosen methods on the
 * chosen deletion requests for each seed, compares each with Retrain, prints the tables and
 * writes JSON and a report.
 */
@Command(name = "unlearn", mixinStandardHelpOptions = true,
        description = {"Unlearn a forget set with the chosen methods and compare each with retraining from scratch.",
                "Metrics (percent): UA = 100 − accuracy on the forget set, RA = accuracy on the retain set, TA = test accuracy,",
                "MIA-efficacy = share of the forget set an RBF-SVM membership attacker calls non-member; avg gap = mean |method − Retrain|."})
final class UnlearnCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;

    @Mixin
    RecipeOptions recipeOptions;

    @Option(names = "--model", defaultValue = "mlp", description = "mlp, cnn or resnet-mini (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--scenario", required = true, paramLabel = "SPEC",
            description = "The deletion request; repeat for several: " + Scenarios.FORMS + ".")
    List<String> scenarios;

    @Option(names = "--methods", defaultValue = "all", paramLabel = "LIST",
            description = "Comma-separated methods or 'all' (default: ${DEFAULT-VALUE}): retrain, ft, ga, graddiff, rl, l1sparse, salun, ssd, scrub, badteacher, surgery, wagle.")
    String methods;

    @Option(names = "--set", paramLabel = "METHOD.KEY=V[,V...]",
            description = "Override a method's hyperparameter, e.g. graddiff.lr=1e-3; several values sweep it (one row per value). Repeatable; 'lethe methods' lists every key and default.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", split = ",", paramLabel = "S[,S...]",
            description = "Seeds; each seeds the original's init and shuffles, the forget set, the methods and the attacker (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--original", paramLabel = "FILE.safetensors",
            description = "The original model's weights (as 'lethe train --out' writes them) instead of training it.")
    Path original;

    @Option(names = "--noise-floor", description = "Also retrain from another init seed: the gap between two equally good retrained models.")
    boolean noiseFloor;

    @Option(names = "--sparsity", defaultValue = "0", paramLabel = "S",
            description = "Prune-then-unlearn: prune the fraction S of the conv/linear weights of the original (one-shot global magnitude pruning) "
                    + "and make every method, Retrain included, keep that mask (default: ${DEFAULT-VALUE}, dense).")
    double sparsity;

    @Option(names = "--mia-samples", paramLabel = "N", description = "Cap the attacker's members and non-members at N each (default: |test set|, the reference protocol).")
    Integer miaSamples;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON here (atomically).")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.html, report.md and results.json into this folder.")
    Path report;

    @Mixin
    DeviceOption deviceOption;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        dataOptions.applyThreads();
        List<Scenario> parsed = new ArrayList<>();
        for (String s : scenarios) parsed.add(Scenarios.parse(s));
        List<Method> chosen = Methods.parseList(methods, sets); // bad names and settings fail before the data loads
        Device device = deviceOption.resolve("unlearn", spec.commandLine().getErr());
        FashionMnist fm = dataOptions.load();
        Experiment e = Experiment.of(model, recipeOptions.recipe(), fm.train(), fm.test(), FashionMnist.CLASSES.size(), parsed,
                chosen, seeds, noiseFloor);
        if (original != null) {
            Module theta0 = loadOriginal(original, model).to(device);
            e = e.withOriginal(seed -> theta0);
        }
        if (miaSamples != null) e = e.withMiaSampleCap(miaSamples);
        if (sparsity != 0) e = e.withSparsity(sparsity);
        e = e.withDevice(device);
        spec.commandLine().getErr().println("lethe unlearn: " + model + " on " + dataOptions.describe(fm) + "; scenarios " + String.join(", ", scenarios)
                + "; methods " + methods + (sets.isEmpty() ? "" : " with " + String.join(" ", sets)) + "; seeds " + seeds + "; "
                + DeviceOption.describe(device));
        ReportOptions options = ReportOptions.defaults(FashionMnist.CLASSES.size()).withClassNames(FashionMnist.CLASSES)
                .withData(dataOptions.describe(fm));
        ExperimentRunner.run("unlearn", e, options, report, json, quiet, spec.commandLine().getOut());
        return 0;
    }

    /** θ0 from a safetensors file, checked against the architecture. */
    static Module loadOriginal(Path file, String model) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--original " + file + " is not a file");
        Module m = Models.byName(model, 0);
        try {
            m.loadStateDict(SafeTensors.read(file).tensors());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("--original " + file + " does not hold a '" + model + "' model: " + ex.getMessage(), ex);
        }
        return m;
    }
}
