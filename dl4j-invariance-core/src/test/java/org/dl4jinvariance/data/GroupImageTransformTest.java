package org.dl4jinvariance.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.transform.ImageTransformProcess;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** GroupImageTransform inside DataVec's image loading gives exactly ImageActions' pixels. */
class GroupImageTransformTest {

    @TempDir
    static Path dir;
    private static File greyPng;
    private static File colourPng;
    private static File widePng;

    @BeforeAll
    static void writeImages() {
        greyPng = ImageFiles.write(ImageFiles.grey(Datasets.mnist(), 7), "png", dir.resolve("digit.png")).toFile();
        colourPng = ImageFiles.write(ImageFiles.colour(ImageFiles.pixels(Datasets.mnist(), 3),
                ImageFiles.pixels(Datasets.fashionMnist(), 5)), "png", dir.resolve("colour.png")).toFile();
        int[][] digit = ImageFiles.pixels(Datasets.mnist(), 11);
        int[][] wide = new int[28][40];
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 40; c++) {
                wide[r][c] = c < 28 ? digit[r][c] : (r * 7 + c) % 256;
            }
        }
        widePng = ImageFiles.write(ImageFiles.grey(wide), "png", dir.resolve("wide.png")).toFile();
    }

    private static INDArray load(File file, int channels, GroupImageTransform transform) throws IOException {
        NativeImageLoader loader = transform == null ? new NativeImageLoader(28, 28, channels)
                : new NativeImageLoader(28, 28, channels, transform);
        return loader.asMatrix(file);
    }

    private static void assertSamePixelsAsImageActions(PlanarGroup group, File file, int channels) throws IOException {
        INDArray original = load(file, channels, null);
        assertEquals(channels, original.size(1));
        Set<String> distinct = new HashSet<>();
        for (int g = 0; g < group.order(); g++) {
            INDArray viaDataVec = load(file, channels, GroupImageTransform.fixed(group, g));
            INDArray viaActions = ImageActions.rotation(group).apply(g, original);
            assertArrayEquals(viaActions.shape(), viaDataVec.shape());
            assertArrayEquals(viaActions.data().asFloat(), viaDataVec.dup('c').data().asFloat(), 0f,
                    group.name() + " element " + group.elementName(g) + " on " + file.getName());
            distinct.add(java.util.Arrays.toString(viaDataVec.data().asFloat()));
        }
        // The image has no symmetry: every element gives a different picture (the test can fail).
        assertEquals(group.order(), distinct.size());
    }

    @Test
    void everyElementOfC4AndD4GivesImageActionsPixelsOnAGreyDigit() throws IOException {
        assertSamePixelsAsImageActions(Groups.c4(), greyPng, 1);
        assertSamePixelsAsImageActions(Groups.d4(), greyPng, 1);
    }

    @Test
    void everyElementOfC4AndD4GivesImageActionsPixelsOnAColourImage() throws IOException {
        assertSamePixelsAsImageActions(Groups.c4(), colourPng, 3);
        assertSamePixelsAsImageActions(Groups.d4(), colourPng, 3);
    }

    @Test
    void halfTurnAndMirrorActOnNonSquareImagesAsImageActionsDoes() throws IOException {
        INDArray original = new NativeImageLoader(28, 40, 1).asMatrix(widePng);
        INDArray turned = new NativeImageLoader(28, 40, 1, GroupImageTransform.fixed(Groups.c4(), 2)).asMatrix(widePng);
        assertArrayEquals(ImageActions.rotation(CyclicGroup.of(2)).apply(1, original).data().asFloat(),
                turned.dup('c').data().asFloat(), 0f);
        INDArray mirrored = new NativeImageLoader(28, 40, 1, GroupImageTransform.fixed(Groups.flipH(), 1))
                .asMatrix(widePng);
        assertArrayEquals(ImageActions.reflection().apply(1, original).data().asFloat(),
                mirrored.dup('c').data().asFloat(), 0f);
    }

    @Test
    void quarterTurnOfANonSquareImageIsRefusedNamingItsSize() {
        GroupImageTransform quarter = GroupImageTransform.fixed(Groups.c4(), 1);
        assertTrue(quarter.requiresSquare());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NativeImageLoader(28, 40, 1, quarter).asMatrix(widePng));
        assertTrue(e.getMessage().contains("28x40"), e.getMessage());
        // The random mode refuses whatever element it draws, so a pipeline fails on the first such image.
        assertTrue(GroupImageTransform.random(Groups.c4(), 1).requiresSquare());
        assertFalse(GroupImageTransform.random(CyclicGroup.of(2), 1).requiresSquare());
    }

    @Test
    void elementsThatAreNotPixelPermutationsAreRefused() {
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
                () -> GroupImageTransform.fixed(CyclicGroup.of(8), 1));
        assertTrue(fixed.getMessage().contains("45.0°") && fixed.getMessage().contains("C8"), fixed.getMessage());
        IllegalArgumentException random = assertThrows(IllegalArgumentException.class,
                () -> GroupImageTransform.random(CyclicGroup.of(8), 1));
        assertTrue(random.getMessage().contains("C8"), random.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GroupImageTransform.fixed(Groups.c4(), 4));
        assertThrows(IllegalArgumentException.class, () -> GroupImageTransform.fixed(null, 0));
        // The exact elements of a finer group are accepted: 90° in C8 is element 2.
        assertEquals(2, GroupImageTransform.fixed(CyclicGroup.of(8), 2).element());
    }

    private static List<Integer> drawn(GroupImageTransform t, int images) throws IOException {
        NativeImageLoader loader = new NativeImageLoader(28, 28, 1, t);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            INDArray x = loader.asMatrix(greyPng);
            INDArray expected = ImageActions.rotation(Groups.d4()).apply(t.lastElement(), load(greyPng, 1, null));
            assertArrayEquals(expected.data().asFloat(), x.dup('c').data().asFloat(), 0f);
            out.add(t.lastElement());
        }
        return out;
    }

    @Test
    void seededRandomElementsRepeatWithTheSeedAndCoverTheGroup() throws IOException {
        List<Integer> a = drawn(GroupImageTransform.random(Groups.d4(), 42), 40);
        List<Integer> b = drawn(GroupImageTransform.random(Groups.d4(), 42), 40);
        List<Integer> c = drawn(GroupImageTransform.random(Groups.d4(), 43), 40);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(8, new HashSet<>(a).size(), "40 draws from D4 meet every element: " + a);
    }

    @Test
    void survivesDataVecsJsonRoundTripInAnImageTransformProcess() {
        ImageTransformProcess process = new ImageTransformProcess(7,
                GroupImageTransform.fixed(Groups.d4(), 5), GroupImageTransform.random(Groups.c4(), 99));
        String json = process.toJson();
        ImageTransformProcess back = ImageTransformProcess.fromJson(json);
        assertEquals(process.getTransformList(), back.getTransformList(), json);
        GroupImageTransform random = (GroupImageTransform) back.getTransformList().get(1);
        assertTrue(random.isRandom());
        assertEquals(99, random.seed());
        assertEquals(Groups.c4(), random.group());
    }
}
