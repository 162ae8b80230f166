package io.hearth.engine.scala;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.engine.scala.ScalaCell.Kind;
import io.hearth.engine.scala.ScalaCell.TopLevel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a Scala cell is cut into REPL lines, given its top-level statements (the parser's part is in the REPL tests). */
class ScalaCellTest {

    @Test
    void cellWithoutClassesIsOneLineAsItWas() {
        String cell = "def twice(n: Int) = n * 2\nval x = twice(2)\nx + 1";
        assertEquals(List.of(cell), ScalaCell.lines(cell,
                statements(cell, Kind.MEMBER, "def twice(n: Int) = n * 2", Kind.CODE, "val x = twice(2)",
                        Kind.CODE, "x + 1")));
    }

    @Test
    void codeAfterAClassStartsANewLineThatKeepsItsPlaceInTheCell() {
        String cell = "case class P(x: Int)\nSeq(P(1)).toDS()\n  .collect()";
        assertEquals(List.of("case class P(x: Int)\n", "\nSeq(P(1)).toDS()\n  .collect()"), ScalaCell.lines(cell,
                statements(cell, Kind.TYPE, "case class P(x: Int)", Kind.CODE, "Seq(P(1)).toDS()\n  .collect()")));
    }

    @Test
    void definitionsAfterAClassStayInItsLineAndCodeBeforeItToo() {
        String cell = "val base = 1\ncase class P(x: Int)\nobject P { def one = P(base) }\ndef two = P(2)\n"
                + "val ps = Seq(P.one, two)\nps.size";
        List<String> lines = ScalaCell.lines(cell, statements(cell, Kind.CODE, "val base = 1",
                Kind.TYPE, "case class P(x: Int)", Kind.TYPE, "object P { def one = P(base) }",
                Kind.MEMBER, "def two = P(2)", Kind.CODE, "val ps = Seq(P.one, two)", Kind.CODE, "ps.size"));
        assertEquals(List.of("val base = 1\ncase class P(x: Int)\nobject P { def one = P(base) }\ndef two = P(2)\n",
                "\n\n\n\nval ps = Seq(P.one, two)\nps.size"), lines);
    }

    @Test
    void everyRunOfCodeAfterClassesIsALine() {
        String cell = "class A\nval a = new A\nclass B(a: A)\nnew B(a)";
        assertEquals(List.of("class A\n", "\nval a = new A\nclass B(a: A)\n", "\n\n\nnew B(a)"),
                ScalaCell.lines(cell, statements(cell, Kind.TYPE, "class A", Kind.CODE, "val a = new A",
                        Kind.TYPE, "class B(a: A)", Kind.CODE, "new B(a)")));
    }

    @Test
    void commentsAndAnnotationsAboveAStatementGoWithIt() {
        String cell = "class A // the type\n\n// now use it\n@transient val a = new A";
        assertEquals(List.of("class A // the type\n", "\n\n// now use it\n@transient val a = new A"),
                ScalaCell.lines(cell, statements(cell, Kind.TYPE, "class A", Kind.CODE, "val a = new A")));
    }

    @Test
    void statementsOnOneLineAreCutAfterTheSemicolonWithTheColumnKept() {
        String cell = "case class P(x: Int); Seq(P(1)).size";
        assertEquals(List.of("case class P(x: Int); ", " ".repeat(22) + "Seq(P(1)).size"), ScalaCell.lines(cell,
                statements(cell, Kind.TYPE, "case class P(x: Int)", Kind.CODE, "Seq(P(1)).size")));
        String comment = "class A; /* then */ new A";
        assertEquals(List.of("class A; ", " ".repeat(9) + "/* then */ new A"), ScalaCell.lines(comment,
                statements(comment, Kind.TYPE, "class A", Kind.CODE, "new A")));
    }

    @Test
    void windowsLineEndsAreCutAfterTheWholeLineEnd() {
        String cell = "class A\r\nnew A";
        assertEquals(List.of("class A\r\n", "\nnew A"),
                ScalaCell.lines(cell, statements(cell, Kind.TYPE, "class A", Kind.CODE, "new A")));
    }

    /** Alternating kinds and texts, each text found in the cell after the previous one. */
    private static List<TopLevel> statements(String cell, Object... kindsAndTexts) {
        List<TopLevel> statements = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < kindsAndTexts.length; i += 2) {
            String text = (String) kindsAndTexts[i + 1];
            int start = cell.indexOf(text, from);
            statements.add(new TopLevel((Kind) kindsAndTexts[i], start, start + text.length()));
            from = start + text.length();
        }
        return statements;
    }
}
