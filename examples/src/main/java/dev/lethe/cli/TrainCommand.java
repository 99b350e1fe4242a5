package dev.lethe.cli;

import dev.lethe.cpu.Parallel;
import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.io.SafeTensors;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Device;
import dev.lethe.train.EpochResult;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lethe train}: trains a model of the zoo on Fashion-MNIST (the bundled subset, or
 * an IDX folder such as Debian's dataset-fashion-mnist installs) and reports each epoch.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a classifier on Fashion-MNIST with minibatch SGD; one line per epoch on stdout.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;

    @Option(names = "--model", defaultValue = "mlp", description = "mlp, cnn or resnet-mini (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.05", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "constant", description = "constant or cosine (per batch, to 0) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for the initial weights and the shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption deviceOption;

    @Option(names = "--out", paramLabel = "FILE.safetensors", description = "Write the trained weights here (atomically).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON here (atomically).")
    Path json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Recipe recipe = new Recipe(epochs, batch, lr, Recipe.Schedule.parse(schedule), momentum, weightDecay, seed);
        dataOptions.applyThreads();
        Device dev = deviceOption.resolve("train", spec.commandLine().getErr());
        Module net = Models.byName(model, seed).to(dev);
        FashionMnist fm = dataOptions.load();
        Dataset train = fm.train(), test = fm.test();
        PrintWriter stdout = spec.commandLine().getOut();
        spec.commandLine().getErr().printf(Locale.ROOT, "lethe train: %s (%,d parameters) on %s; %s%n",
                model, net.numParameters(), dataOptions.describe(fm),
                DeviceOption.describe(dev));
        stdout.println("epoch      loss   train_acc   test_acc   seconds");
        Trainer trainer = new Trainer(net, train, recipe);
        List<EpochResult> results;
        try (ProgressBar bar = quiet ? null : ProgressBars.create("train", (long) epochs * trainer.stepsPerEpoch(), " steps")) {
            results = trainer.fit(test, step -> { if (bar != null) bar.stepTo(step); }, r -> {
                stdout.printf(Locale.ROOT, "%5d  %8.4f  %9.2f%%  %8.2f%%  %8.2f%n", r.epoch(), r.loss(), r.trainAccuracy(), r.testAccuracy(), r.seconds());
                stdout.flush();
            });
        }
        net.to(Device.CPU); // weights are written from host memory
        if (out != null) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("model", model);
            meta.put("seed", Long.toString(seed));
            meta.put("epochs", Integer.toString(epochs));
            SafeTensors.write(out, net.stateDict(), meta);
            System.err.println("lethe train: weights written to " + out);
        }
        if (json != null) {
            JsonReport.write(json, report(recipe, results, dev));
            System.err.println("lethe train: results written to " + json);
        }
        return 0;
    }

    private Map<String, Object> report(Recipe recipe, List<EpochResult> results, Device device) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("data", dataOptions.data == null ? "bundled-subset" : dataOptions.data.toString());
        r.put("seed", seed);
        r.put("epochs", recipe.epochs());
        r.put("batch", recipe.batchSize());
        r.put("lr", recipe.lr());
        r.put("schedule", recipe.schedule().name().toLowerCase(Locale.ROOT));
        r.put("momentum", recipe.momentum());
        r.put("weight_decay", recipe.weightDecay());
        r.put("threads", Parallel.threads());
        r.put("device", device.toString());
        EpochResult last = results.isEmpty() ? null : results.get(results.size() - 1);
        r.put("test_acc", last == null ? Double.NaN : last.testAccuracy());
        r.put("train_acc", last == null ? Double.NaN : last.trainAccuracy());
        double[] secs = results.stream().mapToDouble(EpochResult::seconds).sorted().toArray();
        r.put("seconds_per_epoch", secs.length == 0 ? Double.NaN : secs.length % 2 == 1 ? secs[secs.length / 2]
                : (secs[secs.length / 2 - 1] + secs[secs.length / 2]) / 2);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochResult e : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("loss", e.loss());
            row.put("train_acc", e.trainAccuracy());
            row.put("test_acc", e.testAccuracy());
            row.put("seconds", e.seconds());
            rows.add(row);
        }
        r.put("epochs_detail", rows);
        return r;
    }
}
