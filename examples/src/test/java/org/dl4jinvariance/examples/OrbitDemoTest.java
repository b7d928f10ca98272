package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OrbitDemoTest {

    @Test
    void printsEveryElementOfTheOrbit() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OrbitDemo demo = new OrbitDemo();
        demo.group = "D4";
        demo.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        demo.run();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("under D4, 8 elements"), text);
        for (String name : new String[] {"id", "rot90", "rot180", "rot270", "flip", "rot90∘flip"}) {
            assertTrue(text.contains(name), name);
        }
        assertTrue(text.contains("@"), "the digit's ink is drawn");
    }
}
