package dev.lethe.data;

import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research, 2017): 28×28 grey-scale images
 * of clothing in ten classes, 60 000 for training and 10 000 for testing, stored as four IDX
 * files. {@link #load(Path)} reads a folder holding them (for instance
 * {@code /usr/share/datasets/fashion-mnist}, installed by Debian's
 * {@code dataset-fashion-mnist}); {@link #bundled()} reads the class-balanced subset shipped
 * in this jar (1 000 training and 200 test images per class; see the README beside it).
 *
 * <p>Images become float32 {@code [N, 1, 28, 28]} with pixel values x/255 ∈ [0, 1]
 * ({@link Dataset#withItemShape withItemShape(784)} flattens them); labels are 0 … 9,
 * named by {@link #CLASSES}.
 */
public record FashionMnist(Dataset train, Dataset test) {
    /** The class names, indexed by label. */
    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** File names of the four IDX files (each may also carry a {@code .gz} suffix). */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Where the bundled subset lies, relative to this class on the class path. */
    static final String BUNDLED = "fashion-mnist-subset/";

    private static final float[] PIXEL = new float[256];

    static {
        for (int v = 0; v < 256; v++) PIXEL[v] = v / 255f;
    }

    /**
     * Reads the four IDX files from {@code dir}, each either raw or gzipped.
     *
     * @throws IOException if a file is missing (the message names what was looked for),
     *     malformed (see {@link IdxReader}), or images and labels disagree in number or a
     *     label is outside 0 … 9
     */
    public static FashionMnist load(Path dir) throws IOException {
        return new FashionMnist(
                split(find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS)),
                split(find(dir, TEST_IMAGES), find(dir, TEST_LABELS)));
    }

    /** The class-balanced subset bundled as resources: 10 000 training and 2 000 test items. */
    public static FashionMnist bundled() throws IOException {
        return new FashionMnist(
                dataset(resource(TRAIN_IMAGES + ".gz", 3), TRAIN_IMAGES + ".gz", resource(TRAIN_LABELS + ".gz", 1), TRAIN_LABELS + ".gz"),
                dataset(resource(TEST_IMAGES + ".gz", 3), TEST_IMAGES + ".gz", resource(TEST_LABELS + ".gz", 1), TEST_LABELS + ".gz"));
    }

    /**
     * A data set from an image IDX ([N, rows, cols]) and a label IDX ([N]); the names are
     * for error messages.
     *
     * @throws IOException if the counts differ or a label is not a class index
     */
    public static Dataset dataset(Idx images, String imagesName, Idx labels, String labelsName) throws IOException {
        if (images.dims().length != 3 || labels.dims().length != 1) {
            throw new IllegalArgumentException("fashionMnist: need images [N, rows, cols] and labels [N], got "
                    + Arrays.toString(images.dims()) + " and " + Arrays.toString(labels.dims()));
        }
        if (images.count() != labels.count()) {
            throw new IOException(imagesName + " holds " + images.count() + " images but " + labelsName + " holds "
                    + labels.count() + " labels");
        }
        int[] ls = new int[labels.count()];
        for (int i = 0; i < ls.length; i++) {
            ls[i] = labels.unsigned(i);
            if (ls[i] >= CLASSES.size()) {
                throw new IOException(labelsName + ": label " + i + " is " + ls[i] + ", not a class 0.." + (CLASSES.size() - 1));
            }
        }
        byte[] px = images.data();
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) x[i] = PIXEL[px[i] & 0xFF];
        int[] d = images.dims();
        return new Dataset(Tensor.wrap(Storage.wrap(x), d[0], 1, d[1], d[2]), ls);
    }

    private static Dataset split(Path images, Path labels) throws IOException {
        return dataset(IdxReader.readImages(images), images.getFileName().toString(),
                IdxReader.readLabels(labels), labels.getFileName().toString());
    }

    /**
     * {@code dir/name} if it exists, else {@code dir/name.gz}.
     *
     * @throws IOException naming both when neither exists
     */
    public static Path find(Path dir, String name) throws IOException {
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IOException(dir + ": has neither " + name + " nor " + name + ".gz (a Fashion-MNIST folder holds "
                + TRAIN_IMAGES + ", " + TRAIN_LABELS + ", " + TEST_IMAGES + " and " + TEST_LABELS + ", raw or .gz)");
    }

    private static Idx resource(String file, int rank) throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(BUNDLED + file)) {
            if (in == null) throw new IOException("bundled Fashion-MNIST subset: " + BUNDLED + file + " is not on the class path");
            return IdxReader.read(file, in, rank);
        }
    }
}
