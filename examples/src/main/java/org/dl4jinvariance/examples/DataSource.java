package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataSetIterator;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.data.IdxRecordReader;
import org.dl4jinvariance.data.ImageFolder;
import org.datavec.api.writable.NDArrayWritable;
import org.dl4jinvariance.listeners.DataRole;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * Where one {@code evaluate --data NAME=SOURCE} (in distribution) or {@code --ood NAME=SOURCE}
 * (out of distribution) reads its images. SOURCE is one of:
 * <ul>
 *   <li>{@code embedded:mnist[:OFFSET:COUNT]} or {@code embedded:fashion-mnist[:OFFSET:COUNT]}:
 *       the 10,000 embedded images (or COUNT of them from OFFSET), 1×28×28, 10 classes;</li>
 *   <li>{@code idx:IMAGES[,LABELS]}: an IDX image file and its labels (gzip or raw); without
 *       LABELS, the file next to IMAGES whose name has {@code labels-idx1} in place of
 *       {@code images-idx3}, or no labels when there is none; a path to a
 *       {@code *-images-idx3-ubyte[.gz]} file, or a folder holding exactly one, is read the same
 *       way;</li>
 *   <li>any other folder: images read with DataVec, labels from sub-folder names.</li>
 * </ul>
 * {@link #parse} checks the syntax and that paths exist; {@link #ownShape} reads what has a size of
 * its own (IDX, embedded) before the model's input shape is settled; {@link #open} makes the
 * iterator at that shape.
 */
sealed interface DataSource permits DataSource.Embedded, DataSource.Idx, DataSource.Folder {

    /** The option of in-distribution data sets. */
    String OPTION = "--data";
    /** The option of out-of-distribution data sets: the same SOURCE forms, no label metrics by default. */
    String OOD_OPTION = "--ood";
    String EXPECTED = "expected NAME=SOURCE with SOURCE a folder of images, idx:IMAGES_FILE[,LABELS_FILE], "
            + "embedded:mnist[:OFFSET:COUNT] or embedded:fashion-mnist[:OFFSET:COUNT]";

    /** Letters, digits, '.', '_' and '-': the name goes into file contents and folder names. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    Pattern IDX_IMAGES = Pattern.compile("(?i)(.*)images-idx3-ubyte(\\.gz)?");

    /** How images are read: batch size, pixel scaling, and --strict. */
    record Reading(int batchSize, PixelScaling scaling, boolean strict) {
    }

    /** The option that gives data sets of {@code role}: {@value #OPTION} or {@value #OOD_OPTION}. */
    static String option(DataRole role) {
        return role.outOfDistribution() ? OOD_OPTION : OPTION;
    }

    /**
     * Parses one {@code --data} value (an in-distribution data set).
     *
     * @throws UsageException naming the value and what was expected
     */
    static Parsed parse(String arg) {
        return parse(DataRole.IN_DISTRIBUTION, arg);
    }

    /**
     * Parses one value of the option of {@code role} ({@link #option(DataRole)}).
     *
     * @throws UsageException naming the option, the value and what was expected
     */
    static Parsed parse(DataRole role, String value) {
        String flag = option(role);
        String arg = flag + " " + value;
        int eq = value.indexOf('=');
        if (eq < 0) {
            throw new UsageException(arg + ": no '='; " + EXPECTED);
        }
        String name = value.substring(0, eq).trim();
        String text = value.substring(eq + 1).trim();
        if (!NAME.matcher(name).matches()) {
            throw new UsageException(arg + ": the name '" + name + "' is not 1 to 64 letters, digits, "
                    + "'.', '_' or '-' (starting with a letter or digit); " + EXPECTED);
        }
        if (text.isEmpty()) {
            throw new UsageException(arg + ": no SOURCE after '='; " + EXPECTED);
        }
        return new Parsed(role, name, text, source(arg, text));
    }

    /**
     * A parsed {@code --data} or {@code --ood} value: the data set's role (which option gave it),
     * NAME, the SOURCE text as given, and the source.
     */
    record Parsed(DataRole role, String name, String text, DataSource source) {

        /** {@code --data NAME=SOURCE} or {@code --ood NAME=SOURCE}, for messages. */
        String option() {
            return DataSource.option(role) + " " + name + "=" + text;
        }
    }

    private static DataSource source(String arg, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("embedded:")) {
            return Embedded.parse(arg, text.substring("embedded:".length()));
        }
        if (lower.startsWith("idx:")) {
            String[] files = text.substring(4).split(",", -1);
            if (files.length > 2 || files[0].isBlank() || (files.length == 2 && files[1].isBlank())) {
                throw new UsageException(arg + ": expected idx:IMAGES_FILE or idx:IMAGES_FILE,LABELS_FILE");
            }
            return Idx.of(arg, Path.of(files[0].trim()), files.length == 2 ? Path.of(files[1].trim()) : null);
        }
        Path path = Path.of(text);
        if (!Files.exists(path)) {
            throw new UsageException(arg + ": " + path + " does not exist; " + EXPECTED);
        }
        if (Files.isRegularFile(path)) {
            if (IDX_IMAGES.matcher(path.getFileName().toString()).matches()) {
                return Idx.of(arg, path, null);
            }
            throw new UsageException(arg + ": " + path + " is a file but not an IDX image file "
                    + "(*-images-idx3-ubyte[.gz]); " + EXPECTED);
        }
        List<Path> idx = idxImagesIn(arg, path);
        if (idx.size() == 1) {
            return Idx.of(arg, idx.get(0), null);
        }
        if (idx.size() > 1) {
            throw new UsageException(arg + ": the folder holds " + idx.size() + " IDX image files "
                    + idx.stream().map(p -> p.getFileName().toString()).toList() + "; expected idx:IMAGES_FILE to choose one");
        }
        return new Folder(path);
    }

    private static List<Path> idxImagesIn(String arg, Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> IDX_IMAGES.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UsageException(arg + ": cannot list the folder '" + dir + "' (" + e.getMessage() + ")");
        }
    }

    /**
     * The image shape the data has on its own (IDX, embedded: 1×H×W), read now; empty for a
     * folder, whose images are read at the model's size.
     *
     * @param classes the model's output width (the labels' range), or −1 when unknown
     * @throws UsageException naming the option when the files cannot be read
     */
    Optional<ImageShape> ownShape(Parsed option, int classes);

    /**
     * The examples at {@code shape}, labelled when the source has labels.
     *
     * @throws UsageException when the data cannot be read at that shape or holds no image
     */
    EvalData open(Parsed option, ImageShape shape, Reading reading);

    /** One of the embedded sets, or COUNT images of it from OFFSET. */
    record Embedded(String set, int offset, Integer count) implements DataSource {

        private static final Pattern SYNTAX = Pattern.compile("(?i)(mnist|fashion-mnist)(?::(\\d{1,9}):(\\d{1,9}))?");

        static Embedded parse(String arg, String rest) {
            Matcher m = SYNTAX.matcher(rest.trim());
            if (!m.matches()) {
                throw new UsageException(arg + ": expected embedded:mnist or embedded:fashion-mnist, "
                        + "optionally followed by :OFFSET:COUNT (e.g. embedded:mnist:9000:1000)");
            }
            String set = m.group(1).toLowerCase(Locale.ROOT);
            Embedded e = new Embedded(set, m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                    m.group(3) == null ? null : Integer.parseInt(m.group(3)));
            int size = e.data().size();
            if (e.count != null && (e.count < 1 || (long) e.offset + e.count > size)) {
                throw new UsageException(arg + ": OFFSET " + e.offset + " and COUNT " + e.count
                        + " go beyond the " + CliChecks.count(size) + " embedded " + set + " images; expected COUNT >= 1 "
                        + "and OFFSET + COUNT <= " + CliChecks.count(size));
            }
            if (e.count == null && e.offset != 0) {
                throw new UsageException(arg + ": expected :OFFSET:COUNT together");
            }
            return e;
        }

        IdxDataset data() {
            return set.equals("mnist") ? Datasets.mnist() : Datasets.fashionMnist();
        }

        int examples() {
            return count != null ? count : data().size() - offset;
        }

        @Override
        public Optional<ImageShape> ownShape(Parsed option, int classes) {
            return Optional.of(new ImageShape(1, data().height(), data().width()));
        }

        @Override
        public EvalData open(Parsed option, ImageShape shape, Reading reading) {
            IdxDataset data = data();
            requireShape(option, new ImageShape(1, data.height(), data.width()), shape);
            IdxDataSetIterator it = data.iterator(reading.batchSize(), offset, examples());
            it.setPreProcessor(reading.scaling().fromZeroOne());
            return new EvalData(option.name(), option.text(), option.role(), it, examples(), data.classes(), List.of());
        }
    }

    /**
     * An IDX image file and its label file, or the image file alone (unlabelled: label metrics
     * are skipped), read through core's IDX readers.
     */
    final class Idx implements DataSource {
        private final Path images;
        private final Path labels;
        private IdxDataset data;
        private IdxRecordReader unlabelled;
        private ImageShape shape;

        private Idx(Path images, Path labels) {
            this.images = images;
            this.labels = labels;
        }

        static Idx of(String arg, Path images, Path labels) {
            if (!Files.isRegularFile(images)) {
                throw new UsageException(arg + ": " + images + (Files.exists(images) ? " is not a file"
                        : " does not exist") + "; expected an IDX image file (*-images-idx3-ubyte[.gz])");
            }
            Path lab = labels;
            if (lab == null) {
                // The usual pair: train-images-idx3-ubyte[.gz] beside train-labels-idx1-ubyte[.gz].
                Matcher m = IDX_IMAGES.matcher(images.getFileName().toString());
                Path sibling = m.matches() ? images.resolveSibling(m.group(1) + "labels-idx1-ubyte" + (m.group(2) == null
                        ? "" : m.group(2))) : null;
                lab = sibling != null && Files.isRegularFile(sibling) ? sibling : null;
            } else if (!Files.isRegularFile(lab)) {
                throw new UsageException(arg + ": " + lab + (Files.exists(lab) ? " is not a file"
                        : " does not exist") + "; expected an IDX label file (*-labels-idx1-ubyte[.gz])");
            }
            return new Idx(images, lab);
        }

        @Override
        public Optional<ImageShape> ownShape(Parsed option, int classes) {
            if (shape == null) {
                try {
                    if (labels != null) {
                        // Labels are one-hot over the model's classes; a label beyond them is refused here.
                        data = IdxDataset.read(images, labels, classes > 0 ? classes : 256);
                        shape = new ImageShape(1, data.height(), data.width());
                    } else {
                        unlabelled = IdxRecordReader.of(images);
                        if (unlabelled.size() == 0) {
                            throw new UsageException(option.option() + ": the IDX file holds no image; expected at least one");
                        }
                        long[] first = ((NDArrayWritable) unlabelled.next().get(0)).get().shape();
                        unlabelled.reset();
                        shape = new ImageShape(1, (int) first[2], (int) first[3]);
                    }
                } catch (IllegalArgumentException | UncheckedIOException e) {
                    if (e instanceof UsageException u) {
                        throw u;
                    }
                    throw new UsageException(option.option() + ": " + e.getMessage());
                }
            }
            return Optional.of(shape);
        }

        @Override
        public EvalData open(Parsed option, ImageShape model, Reading reading) {
            requireShape(option, ownShape(option, -1).orElseThrow(), model);
            if (data != null) {
                if (data.size() == 0) {
                    throw new UsageException(option.option() + ": the IDX files hold no image; expected at least one");
                }
                IdxDataSetIterator it = data.iterator(reading.batchSize());
                it.setPreProcessor(reading.scaling().fromZeroOne());
                return new EvalData(option.name(), option.text(), option.role(), it, data.size(), data.classes(), List.of());
            }
            RecordReaderDataSetIterator it = new RecordReaderDataSetIterator(unlabelled, reading.batchSize());
            DataSetPreProcessor scaling = reading.scaling().fromZeroOne();
            it.setPreProcessor(ds -> {
                // Without a label column DataVec's iterator repeats the features as labels: there are none.
                ds.setLabels(null);
                ds.getFeatures().divi(255);
                if (scaling != null) {
                    scaling.preProcess(ds);
                }
            });
            return new EvalData(option.name(), option.text(), option.role(), it, unlabelled.size(), 0, List.of());
        }
    }

    /**
     * A folder of images, read with DataVec ({@link ImageFolder}) at the model's input shape:
     * resized, converted to its channels, labelled by class sub-folders or unlabelled.
     */
    record Folder(Path dir) implements DataSource {

        @Override
        public Optional<ImageShape> ownShape(Parsed option, int classes) {
            return Optional.empty();
        }

        @Override
        public EvalData open(Parsed option, ImageShape shape, Reading reading) {
            ImageFolder.Iterator it;
            try {
                ImageFolder.Builder b = ImageFolder.of(dir).size(shape.height(), shape.width(), shape.channels())
                        .batchSize(reading.batchSize()).strict(reading.strict());
                PixelScaling s = reading.scaling();
                it = (s.isZeroOne() ? b.scale01() : b.normalize(s.mean(), s.std())).build();
            } catch (IllegalArgumentException | UncheckedIOException e) {
                // ImageFolder names the folder or the files: empty, no readable image, strict failures.
                throw new UsageException(option.option() + ": " + e.getMessage());
            }
            ImageFolder.Scan scan = it.scan();
            return new EvalData(option.name(), option.text(), option.role(), it, scan.size(), scan.labels().size(), scan.skipped());
        }
    }

    /** Images of the IDX and embedded sets are used as they are: no resizing, no colour conversion. */
    private static void requireShape(Parsed option, ImageShape own, ImageShape model) {
        if (!own.equals(model)) {
            throw new UsageException(option.option() + ": its images are " + own + " (CxHxW) but the model takes "
                    + model + "; expected IDX or embedded images of the model's input shape (or a folder of images, "
                    + "which is resized)");
        }
    }
}
