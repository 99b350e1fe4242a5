package dev.lethe.unlearn.scenario;

import dev.lethe.unlearn.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses scenario specs:
 * <ul>
 *   <li>{@code class:K} — every training sample of class K; D_t drops class K. K ∈ [0, number of classes).</li>
 *   <li>{@code random:F} — round(F·N) training samples drawn with the seed, F ∈ (0, 1).</li>
 *   <li>{@code indices:FILE} — the training indices listed in FILE (one per line, or comma/whitespace separated).</li>
 *   <li>{@code seq:KIND:AxN} — N successive requests {@code KIND:A}, e.g. {@code seq:random:0.02x5}:
 *       five requests of 2% of D each, each drawn from what the earlier ones left.</li>
 *   <li>{@code seq:KIND:A,B,…} — one request per item, in order, e.g. {@code seq:class:0,1,2}
 *       forgets class 0, then class 1, then class 2 (a file list {@code seq:indices:a.txt,b.txt} works alike).</li>
 * </ul>
 * Request i of a sequence has retain set D minus every sample forgotten by requests 0…i
 * (see {@link RequestSequence}).
 */
public final class Scenarios {
    /** The valid forms, for error messages and help texts. */
    public static final String FORMS = "class:K, random:F (0 < F < 1), indices:FILE, seq:random:FxN, seq:class:K1,K2,...";

    private static final Pattern REPEAT = Pattern.compile("(.+)x(\\d+)");

    private Scenarios() {}

    /**
     * The scenario {@code spec} names.
     *
     * @throws IllegalArgumentException naming the spec and the valid forms when it is malformed;
     *         an {@code indices:} file is read here, so its errors surface before any training
     */
    public static Scenario parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty scenario; valid forms: " + FORMS);
        String s = spec.strip();
        if (s.startsWith("seq:")) return new RequestSequence(s, sequence(s, s.substring(4)));
        return new RequestSequence(s, List.of(single(s, s)));
    }

    private static List<Selection> sequence(String spec, String body) {
        int colon = body.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException(spec + ": expected seq:KIND:AxN or seq:KIND:A,B,...; valid forms: " + FORMS);
        String kind = body.substring(0, colon + 1);
        if (kind.equals("seq:")) throw new IllegalArgumentException(spec + ": sequences do not nest; valid forms: " + FORMS);
        String args = body.substring(colon + 1);
        List<Selection> out = new ArrayList<>();
        Matcher repeat = REPEAT.matcher(args);
        if (repeat.matches()) {
            int n = count(spec, repeat.group(2));
            Selection one = single(spec, kind + repeat.group(1));
            for (int i = 0; i < n; i++) out.add(one);
            return out;
        }
        for (String item : args.split(",", -1)) {
            if (item.isBlank()) throw new IllegalArgumentException(spec + ": an empty item in the request list '" + args + "'");
            out.add(single(spec, kind + item.strip()));
        }
        return out;
    }

    private static int count(String spec, String digits) {
        try {
            int n = Integer.parseInt(digits);
            if (n >= 1) return n;
        } catch (NumberFormatException tooLarge) {
            // reported below
        }
        throw new IllegalArgumentException(spec + ": the number of requests must be a positive integer, got " + digits);
    }

    /** One request {@code KIND:ARG}; {@code spec} is the whole spec, for messages. */
    private static Selection single(String spec, String request) {
        int colon = request.indexOf(':');
        String kind = colon < 0 ? request : request.substring(0, colon);
        String arg = colon < 0 ? "" : request.substring(colon + 1);
        return switch (kind) {
            case "class" -> new ClassSelection(classIndex(spec, arg));
            case "random" -> new RandomSelection(fraction(spec, arg));
            case "indices" -> {
                if (arg.isEmpty()) throw new IllegalArgumentException(spec + ": indices needs a file, e.g. indices:forget.txt");
                yield IndexFileSelection.read(arg);
            }
            default -> throw new IllegalArgumentException("unknown scenario '" + spec + "'; valid forms: " + FORMS);
        };
    }

    private static int classIndex(String spec, String arg) {
        try {
            int k = Integer.parseInt(arg);
            if (k >= 0) return k;
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(spec + ": '" + arg + "' is not a class; expected class:K with K a label ≥ 0");
    }

    private static double fraction(String spec, String arg) {
        double f;
        try {
            f = Double.parseDouble(arg);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException(spec + ": '" + arg + "' is not a number; expected random:F with 0 < F < 1");
        }
        if (!(f > 0 && f < 1)) throw new IllegalArgumentException(spec + ": the fraction " + arg + " is outside (0, 1)");
        return f;
    }
}
