package io.hearth.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.engine.interpreter.Outcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputBudgetTest {

    @Test
    void sizesAreUtf8BytesOfTextAndOfJsonAsTheChannelWritesIt() {
        String text = "a\u00e9\u20ac\ud83c\udf5e<>";
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, OutputSize.utf8(text));
        JsonObject data = new JsonObject();
        data.addProperty("text/html", "<b>\u20ac</b>\n");
        // No HTML escaping (the channel's codec has none): {"text/html":"<b>€</b>\n"} is 28 bytes.
        assertEquals(28, OutputSize.json(data));
    }

    @Test
    void textIsCutBetweenCharactersAtTheLimitAndNothingFollowsACut() {
        OutputBudget budget = new OutputBudget(10);
        assertEquals("abc", budget.take("abc"));
        // 7 bytes left: "\u20ac" is 3, the bread emoji 4; the next "\u20ac" does not fit.
        assertEquals("\u20ac\ud83c\udf5e", budget.take("\u20ac\ud83c\udf5e\u20acxyz"));
        assertEquals("", budget.take("d"), "after a cut, later text would leave a hole in the middle");
        assertFalse(budget.takeValue(1));
        assertEquals("OutputTooLarge", budget.overflow().orElseThrow().ename());
        assertTrue(budget.overflow().orElseThrow().evalue().startsWith("The statement returned 18 bytes of output"),
                budget.overflow().orElseThrow().evalue());
        assertTrue(budget.cutNotice().orElseThrow().contains("[output cut after 10 bytes"));
    }

    @Test
    void outputThatFitsExactlyIsWholeAndSaysNothing() {
        OutputBudget budget = new OutputBudget(6);
        assertEquals("\ud83c\udf5e", budget.take("\ud83c\udf5e"));
        assertTrue(budget.takeValue(2));
        assertTrue(budget.overflow().isEmpty());
        assertTrue(budget.cutNotice().isEmpty());
    }

    @Test
    void aValueLeftOutByTheInterpreterCountsAndFailsTheStatement() {
        OutputBudget budget = new OutputBudget(100);
        budget.take("12345");
        budget.leftOut(5_000);
        assertTrue(budget.overflow().orElseThrow().evalue().startsWith("The statement returned 5,005 bytes (4.9 KiB)"));
    }

    @Test
    void sizesAreDescribedExactlyAndReadably() {
        assertEquals("67,108,864 bytes (64 MiB)", OutputSize.describe(64L * 1024 * 1024));
        assertEquals("70,000,000 bytes (66.8 MiB)", OutputSize.describe(70_000_000));
    }

    @Test
    void anErrorsTextIsCutToItsShareWithAMarkerAndItsNameKept() {
        Outcome.Failure huge = new Outcome.Failure("ValueError", "v".repeat(1000),
                java.util.List.of("line 1\n", "x".repeat(1000) + "\n", "last\n"));
        Outcome.Failure cut = huge.shortened(200);
        assertEquals("ValueError", cut.ename());
        assertTrue(cut.evalue().startsWith("v".repeat(100) + "... [cut: the error's text has 2,013 characters]"),
                cut.evalue());
        assertEquals("line 1\n", cut.traceback().get(0));
        assertTrue(cut.traceback().get(1).endsWith("[cut: the error's text has 2,013 characters]"));
        assertEquals(huge, huge.shortened(5000), "an error that fits is left alone");
    }
}
