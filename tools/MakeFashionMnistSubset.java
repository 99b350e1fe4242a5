import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Idx;
import dev.lethe.data.IdxReader;
import dev.lethe.data.IdxWriter;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the Fashion-MNIST subset bundled in tensor-core: the first 1 000 training and the
 * first 200 test images of each class, in the full set's file order, as gzip (level 9) IDX
 * files. A one-off tool, not run by the build. From the repository root:
 *
 * <pre>
 * mvn -B -o -q -pl tensor-core compile
 * java -cp tensor-core/target/classes tools/MakeFashionMnistSubset.java \
 *     /usr/share/datasets/fashion-mnist tensor-core/src/main/resources/dev/lethe/data/fashion-mnist-subset
 * </pre>
 *
 * The source folder comes from Debian's {@code dataset-fashion-mnist} package
 * ({@code apt-get install dataset-fashion-mnist}). FashionMnistBundledTest checks that the
 * bundled files equal what this tool makes from the full set, whenever the full set is installed.
 */
public class MakeFashionMnistSubset {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MakeFashionMnistSubset <fashion-mnist folder> <output folder>");
            System.exit(2);
        }
        Path source = Path.of(args[0]), target = Path.of(args[1]);
        Files.createDirectories(target);
        write(source, target, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, 1000);
        write(source, target, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, 200);
    }

    private static void write(Path source, Path target, String imagesName, String labelsName, int perClass) throws Exception {
        Idx images = IdxReader.readImages(FashionMnist.find(source, imagesName));
        Idx labels = IdxReader.readLabels(FashionMnist.find(source, labelsName));
        int[] ls = new int[labels.count()];
        for (int i = 0; i < ls.length; i++) ls[i] = labels.unsigned(i);
        int[] keep = Dataset.firstPerClass(ls, perClass);
        IdxWriter.write(target.resolve(imagesName + ".gz"), images.select(keep));
        IdxWriter.write(target.resolve(labelsName + ".gz"), labels.select(keep));
        System.err.println(imagesName + ": kept " + keep.length + " of " + images.count());
    }
}
