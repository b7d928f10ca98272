package org.dl4jinvariance.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYCOLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.ImageTransform;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of images as a DL4J {@link DataSetIterator}, for the evaluator and the listener
 * (e.g. an out-of-distribution set:
 * {@code InvarianceListener.builder().evaluate("ood", ImageFolder.of(dir).size(28, 28, 1).build())}).
 *
 * <p>Read with DataVec: {@link ImageRecordReader} (resizes to the requested size, converts colour
 * and grey to the requested channels; NCHW, colour channels in OpenCV's B, G, R order),
 * {@link ParentPathLabelGenerator}, {@link RecordReaderDataSetIterator} and
 * {@link ImagePreProcessingScaler}. Pixels are scaled to x/255 ({@link Builder#scale01()}, the
 * default) or standardised to (x/255 − mean)/std ({@link Builder#normalize(double, double)}).
 *
 * <p>Layout: images in class sub-folders ({@code dir/cat/1.png}) are labelled, one-hot, with the
 * sorted sub-folder names as classes ({@link Iterator#getLabels()}); images directly in
 * {@code dir} (no sub-folders) are unlabelled: batches carry {@code labels = null}, so the
 * evaluator leaves out the metrics that need labels rather than computing them on made-up
 * ones (DataVec's own iterator would put the features in the labels' place).
 *
 * <p>Every file is checked once before any batch is made ({@link Builder#scan()}): files with an
 * extension DataVec does not read ({@link NativeImageLoader#ALLOWED_FORMATS}), files OpenCV
 * cannot decode, images that are not 8-bit, and files outside the layout above are skipped and
 * listed ({@link Scan#skipped()}), or fail the scan naming them under {@link Builder#strict(boolean)};
 * iteration then never meets a bad file.
 */
public final class ImageFolder {

    private static final Logger log = LoggerFactory.getLogger(ImageFolder.class);
    private static final Set<String> EXTENSIONS = Stream.of(NativeImageLoader.ALLOWED_FORMATS)
            .map(f -> f.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));

    private ImageFolder() {
    }

    /** Starts a builder over {@code dir}; nothing is read until {@link Builder#scan()} or {@link Builder#build()}. */
    public static Builder of(Path dir) {
        return new Builder(dir);
    }

    /** The lower-case extensions read as images (DataVec's {@code NativeImageLoader.ALLOWED_FORMATS}). */
    public static Set<String> extensions() {
        return Collections.unmodifiableSet(EXTENSIONS);
    }

    /** A file left out of the data, and why. */
    public record SkippedFile(Path file, String reason) {
        @Override
        public String toString() {
            return file + " (" + reason + ")";
        }
    }

    /**
     * What a folder holds: the readable images in the order they are read, their class names
     * (empty when unlabelled), and the skipped files.
     */
    public static final class Scan {
        private final Path root;
        private final List<Path> images;
        private final List<String> labels;
        private final List<SkippedFile> skipped;

        Scan(Path root, List<Path> images, List<String> labels, List<SkippedFile> skipped) {
            this.root = root;
            this.images = List.copyOf(images);
            this.labels = List.copyOf(labels);
            this.skipped = List.copyOf(skipped);
        }

        /** The folder. */
        public Path root() {
            return root;
        }

        /** The readable images, in reading order. */
        public List<Path> images() {
            return images;
        }

        /** Number of readable images (examples per pass). */
        public int size() {
            return images.size();
        }

        /** True when the images sit in class sub-folders. */
        public boolean labelled() {
            return !labels.isEmpty();
        }

        /** The class names (sorted sub-folder names; label k is {@code labels().get(k)}), empty when unlabelled. */
        public List<String> labels() {
            return labels;
        }

        /** The files left out, with reasons. */
        public List<SkippedFile> skipped() {
            return skipped;
        }

        @Override
        public String toString() {
            return root + ": " + images.size() + " images, " + (labelled() ? labels.size() + " classes " + labels
                    : "unlabelled") + ", " + skipped.size() + " skipped";
        }
    }

    /** Builder; {@link #size(int, int, int)} is required. */
    public static final class Builder {
        private final Path dir;
        private int height;
        private int width;
        private int channels;
        private double mean = Double.NaN;
        private double std = Double.NaN;
        private int batchSize = 64;
        private boolean strict;
        private ImageTransform transform;
        private Long seed;
        private boolean flat;

        private Builder(Path dir) {
            if (dir == null) {
                throw new IllegalArgumentException("ImageFolder needs a folder, got null");
            }
            this.dir = dir;
        }

        /** Images are read at height × width with this many channels (1 grey, 3 colour, 4 with alpha). */
        public Builder size(int height, int width, int channels) {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("ImageFolder image size must be positive, got " + height + "x" + width);
            }
            if (channels != 1 && channels != 3 && channels != 4) {
                throw new IllegalArgumentException("ImageFolder channels must be 1 (grey), 3 (colour) or 4 (colour and "
                        + "alpha), got " + channels);
            }
            this.height = height;
            this.width = width;
            this.channels = channels;
            return this;
        }

        /**
         * The size the model records for its first input: [C, H, W] of an
         * {@code InputType.convolutionalFlat} network (then batches are flat rows [B, C·H·W], as
         * it takes them) or of an equivariant first layer. Plain DL4J convolution layers do not
         * record their input size: give {@link #size(int, int, int)} for those.
         *
         * @throws IllegalArgumentException when the model records no input size
         */
        public Builder inputShapeOf(Model model) {
            ModelProbe probe = ModelProbe.of(model);
            long[] chw = probe.inputExampleShape().orElseThrow(() -> new IllegalArgumentException("The model records "
                    + "no input image size (plain DL4J convolution layers do not); give ImageFolder.of(" + dir
                    + ").size(height, width, channels)"));
            if (chw.length != 3) {
                throw new IllegalArgumentException("The model's input is not an image: example shape "
                        + java.util.Arrays.toString(chw) + ", expected [channels, height, width]");
            }
            size((int) chw[1], (int) chw[2], (int) chw[0]);
            this.flat = probe.flatImageShape().isPresent();
            return this;
        }

        /** Pixels scaled to x/255 in [0, 1] (the default). */
        public Builder scale01() {
            this.mean = Double.NaN;
            this.std = Double.NaN;
            return this;
        }

        /** Pixels standardised to (x/255 − mean)/std. */
        public Builder normalize(double mean, double std) {
            if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
                throw new IllegalArgumentException("ImageFolder.normalize needs a finite mean and a finite std > 0, got mean="
                        + mean + ", std=" + std);
            }
            this.mean = mean;
            this.std = std;
            return this;
        }

        /** Examples per batch (default 64). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("ImageFolder batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** When true, any skipped file fails {@link #scan()}/{@link #build()} naming it (default false: skip and count). */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /** A DataVec transform applied to each image as read (e.g. {@link GroupImageTransform}); null for none. */
        public Builder transform(ImageTransform transform) {
            this.transform = transform;
            return this;
        }

        /** Shuffles the reading order once with this seed (default: sorted paths, no shuffle). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Lists and decodes every file once, without making batches.
         *
         * @throws IllegalArgumentException for a missing folder, a file in place of a folder, no
         *                                  readable image, a size not set, a non-square image with a
         *                                  transform that turns by 90°, or (strict) any skipped file
         */
        public Scan scan() {
            requireSize();
            if (!Files.exists(dir)) {
                throw new IllegalArgumentException("Image folder " + dir.toAbsolutePath() + " does not exist");
            }
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("Image folder " + dir.toAbsolutePath() + " is a file, not a folder");
            }
            List<Path> entries = list(dir);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("Image folder " + dir.toAbsolutePath() + " is empty");
            }
            List<Path> classDirs = entries.stream().filter(Files::isDirectory).filter(p -> !isHidden(p)).toList();
            List<SkippedFile> skipped = new ArrayList<>();
            List<Path> candidates = new ArrayList<>();
            for (Path p : entries) {
                if (Files.isDirectory(p)) {
                    continue;
                }
                if (classDirs.isEmpty()) {
                    candidates.add(p);
                } else if (hasImageExtension(p)) {
                    skipped.add(new SkippedFile(p, "an image beside class sub-folders " + names(classDirs)
                            + ", so it has no class; move it into one"));
                } else {
                    skipped.add(new SkippedFile(p, notImageReason(p)));
                }
            }
            for (Path classDir : classDirs) {
                for (Path p : list(classDir)) {
                    if (Files.isDirectory(p)) {
                        skipped.add(new SkippedFile(p, "a folder inside class folder " + classDir.getFileName()
                                + "; images must sit directly in their class folder"));
                    } else {
                        candidates.add(p);
                    }
                }
            }
            List<Path> images = new ArrayList<>();
            Decoder decoder = new Decoder(height, width, channels);
            boolean square = transform instanceof GroupImageTransform t && t.requiresSquare();
            for (Path p : candidates) {
                if (!hasImageExtension(p)) {
                    skipped.add(new SkippedFile(p, notImageReason(p)));
                    continue;
                }
                Decoder.Result r = decoder.check(p);
                if (r.problem() != null) {
                    skipped.add(new SkippedFile(p, r.problem()));
                    continue;
                }
                if (square && r.rows() != r.cols()) {
                    throw new IllegalArgumentException("Image " + p + " is " + r.rows() + "x" + r.cols() + " (rows x cols) "
                            + "but " + transform + " turns images by 90°, which needs square images");
                }
                images.add(p);
            }
            if (strict && !skipped.isEmpty()) {
                throw new IllegalArgumentException("Image folder " + dir + " has " + skipped.size() + " file(s) that are not "
                        + "readable images (strict): " + skipped.stream().map(SkippedFile::toString)
                        .collect(Collectors.joining("; ")));
            }
            if (images.isEmpty()) {
                throw new IllegalArgumentException("Image folder " + dir.toAbsolutePath() + " holds no readable image ("
                        + EXTENSIONS + ")" + (skipped.isEmpty() ? "" : "; skipped: " + skipped));
            }
            if (!skipped.isEmpty()) {
                log.warn("Image folder {}: {} file(s) skipped: {}", dir, skipped.size(), skipped);
            }
            List<String> labels = classDirs.stream().map(p -> p.getFileName().toString()).sorted().toList();
            for (String label : labels) {
                if (images.stream().noneMatch(p -> p.getParent().getFileName().toString().equals(label))) {
                    log.warn("Image folder {}: class folder '{}' holds no readable image; its label index is kept", dir,
                            label);
                }
            }
            if (seed != null) {
                Collections.shuffle(images, new Random(seed));
            }
            return new Scan(dir, images, labels, skipped);
        }

        /** {@link #scan()}, then the iterator over the readable images. */
        public Iterator build() {
            return new Iterator(scan(), height, width, channels, batchSize, transform, scaling(), flat);
        }

        private DataSetPreProcessor scaling() {
            ImagePreProcessingScaler scale01 = new ImagePreProcessingScaler(0, 1);
            if (Double.isNaN(mean)) {
                return scale01;
            }
            float m = (float) mean;
            float s = (float) std;
            return ds -> {
                scale01.preProcess(ds);
                ds.getFeatures().subi(m).divi(s);
            };
        }

        private void requireSize() {
            if (height == 0) {
                throw new IllegalArgumentException("ImageFolder over " + dir + " needs size(height, width, channels), "
                        + "the network's input size");
            }
        }
    }

    /**
     * The batches of a scanned folder: features [B, C, H, W] (flat [B, C·H·W] for a
     * {@code convolutionalFlat} model given to {@link Builder#inputShapeOf}) scaled as the builder says, one-hot
     * labels [B, classes] or null (unlabelled). Resettable; the same order every pass.
     */
    public static final class Iterator implements DataSetIterator {
        private static final long serialVersionUID = 1L;

        private final transient Scan scan;
        private final int inputColumns;
        private final transient RecordReaderDataSetIterator delegate;
        private final DataSetPreProcessor scaling;
        private final boolean flat;
        private DataSetPreProcessor preProcessor;

        Iterator(Scan scan, int height, int width, int channels, int batchSize, ImageTransform transform,
                 DataSetPreProcessor scaling, boolean flat) {
            this.scan = scan;
            this.flat = flat;
            this.inputColumns = height * width * channels;
            this.scaling = scaling;
            ImageRecordReader reader = new ImageRecordReader(height, width, channels,
                    scan.labelled() ? new ParentPathLabelGenerator() : null, transform);
            reader.setLogLabelCountOnInit(false);
            List<URI> uris = scan.images().stream().map(Path::toUri).toList();
            try {
                reader.initialize(new CollectionInputSplit(uris));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open image folder " + scan.root(), e);
            }
            if (scan.labelled()) {
                // Every class folder keeps its index, even one whose images were all skipped.
                reader.setLabels(new ArrayList<>(scan.labels()));
                delegate = new RecordReaderDataSetIterator(reader, batchSize, 1, scan.labels().size());
            } else {
                delegate = new RecordReaderDataSetIterator(reader, batchSize, -1, 0);
            }
        }

        /** The scan this iterator reads: images, labels, skipped files. */
        public Scan scan() {
            return scan;
        }

        /** The files left out (see {@link Scan#skipped()}). */
        public List<SkippedFile> skipped() {
            return scan.skipped();
        }

        /** Number of examples per pass. */
        public int numExamples() {
            return scan.size();
        }

        @Override
        public DataSet next(int num) {
            return finish(delegate.next(num));
        }

        @Override
        public DataSet next() {
            return finish(delegate.next());
        }

        private DataSet finish(DataSet ds) {
            if (!scan.labelled()) {
                ds.setLabels(null);
            }
            scaling.preProcess(ds);
            if (flat) {
                INDArray x = ds.getFeatures();
                ds.setFeatures(x.reshape('c', x.size(0), inputColumns));
            }
            if (preProcessor != null) {
                preProcessor.preProcess(ds);
            }
            return ds;
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public int inputColumns() {
            return inputColumns;
        }

        @Override
        public int totalOutcomes() {
            return scan.labels().size();
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        /** Batches are made in order by one reader, so DL4J may prefetch them on one thread. */
        @Override
        public boolean asyncSupported() {
            return true;
        }

        @Override
        public void reset() {
            delegate.reset();
        }

        @Override
        public int batch() {
            return delegate.batch();
        }

        /** A pre-processor applied after the scaling (which stays). */
        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            this.preProcessor = preProcessor;
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return preProcessor;
        }

        /** The class names, or null when unlabelled. */
        @Override
        public List<String> getLabels() {
            return scan.labelled() ? scan.labels() : null;
        }

        @Override
        public String toString() {
            return "ImageFolder[" + scan + "]";
        }
    }

    /** Decodes a file as {@code NativeImageLoader} does, to find unreadable ones up front. */
    private static final class Decoder {
        private final NativeImageLoader loader;

        Decoder(int height, int width, int channels) {
            this.loader = new NativeImageLoader(height, width, channels);
        }

        record Result(int rows, int cols, String problem) {
        }

        /**
         * OpenCV's decoder first (as DataVec), for the stored size and depth; what it cannot read is
         * tried once through DataVec's full path (its Leptonica fallback) before it counts as corrupt.
         */
        Result check(Path file) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                return new Result(0, 0, "cannot be read: " + e.getMessage());
            }
            if (bytes.length == 0) {
                return new Result(0, 0, "empty file");
            }
            Mat buffer = new Mat(bytes);
            Mat image = imdecode(buffer, IMREAD_ANYDEPTH | IMREAD_ANYCOLOR);
            try {
                if (image == null || image.empty()) {
                    return viaDataVec(file);
                }
                if (image.depth() != CV_8U) {
                    return new Result(image.rows(), image.cols(), "not an 8-bit image (OpenCV depth "
                            + image.depth() + "); pixels are scaled by 1/255");
                }
                if (image.channels() != 1 && image.channels() != 3 && image.channels() != 4) {
                    return new Result(image.rows(), image.cols(), image.channels() + " channels; expected 1, 3 or 4");
                }
                return new Result(image.rows(), image.cols(), null);
            } finally {
                if (image != null) {
                    image.deallocate();
                }
                buffer.deallocate();
            }
        }

        private Result viaDataVec(Path file) {
            try {
                org.datavec.image.data.Image image = loader.asImageMatrix(file.toFile());
                return new Result(image.getOrigH(), image.getOrigW(), null);
            } catch (Exception | UnsatisfiedLinkError e) {
                return new Result(0, 0, "cannot be decoded as an image (" + e.getMessage() + ")");
            }
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list image folder " + dir, e);
        }
    }

    private static boolean isHidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String notImageReason(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return "not an image file (" + (dot > 0 ? "extension ." + name.substring(dot + 1) : "no extension")
                + "; read are " + EXTENSIONS + ")";
    }

    private static String names(List<Path> dirs) {
        return dirs.stream().map(p -> p.getFileName().toString()).toList().toString();
    }
}
