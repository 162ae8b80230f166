package io.hearth.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a cell is cut into code, line magics and a cell magic. */
class CellScriptTest {

    private static MagicCall call(CellScript.Part part) {
        return ((CellScript.Call) part).call();
    }

    @Test
    void plainCodeHasNoMagic() throws Exception {
        CellScript script = CellScript.parse("x = 5 % 3\n  %notmagic\ns = '%%sql'");
        assertFalse(script.hasMagic());
        assertEquals(List.of(new CellScript.Code("x = 5 % 3\n  %notmagic\ns = '%%sql'")), script.parts());
    }

    @Test
    void cellMagicTakesTheFirstLineAndTheRestIsItsBody() throws Exception {
        CellScript script = CellScript.parse("\n%%sql -o top -n 5 --chart bar\nSELECT 1 AS a,\n  2 AS b\n");
        assertEquals(1, script.parts().size());
        MagicCall sql = call(script.parts().get(0));
        assertEquals("sql", sql.name());
        assertTrue(sql.cell());
        assertEquals(List.of("-o", "top", "-n", "5", "--chart", "bar"), sql.args());
        assertEquals("SELECT 1 AS a,\n  2 AS b\n", sql.body());
        assertEquals("%%sql", sql.written());
    }

    @Test
    void lineMagicsSplitTheCodeAroundThemInOrder() throws Exception {
        CellScript script = CellScript.parse("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n%matplot plt\n%logs -n 3\ny = 2\n");
        List<CellScript.Part> parts = script.parts();
        assertEquals(4, parts.size());
        assertEquals(new CellScript.Code("import matplotlib.pyplot as plt\nplt.plot([1, 2])"), parts.get(0));
        assertEquals(new MagicCall("matplot", false, List.of("plt"), ""), call(parts.get(1)));
        assertEquals(new MagicCall("logs", false, List.of("-n", "3"), ""), call(parts.get(2)));
        assertEquals(new CellScript.Code("y = 2\n"), parts.get(3));
    }

    @Test
    void argumentsAreQuotedLikeAShell() throws Exception {
        MagicCall c = call(CellScript.parse("%%sql --chart bar -x 'first name' -y \"total \\\"sum\\\"\" -o a\\ b").parts().get(0));
        assertEquals(List.of("--chart", "bar", "-x", "first name", "-y", "total \"sum\"", "-o", "a b"), c.args());
    }

    @Test
    void malformedMagicsSayWhatIsWrong() {
        assertEquals("unclosed ' quote in:  -x 'oops",
                assertThrows(MagicSyntaxException.class, () -> CellScript.parse("%%sql -x 'oops\nSELECT 1")).getMessage());
        assertEquals("%%sql is a cell magic: it must be the first line of its cell",
                assertThrows(MagicSyntaxException.class, () -> CellScript.parse("x = 1\n%%sql\nSELECT 1")).getMessage());
        assertTrue(assertThrows(MagicSyntaxException.class, () -> CellScript.parse("%%\nSELECT 1")).getMessage()
                .startsWith("expected a magic name after %%"));
        assertTrue(assertThrows(MagicSyntaxException.class, () -> CellScript.parse("%%sql-o x\nSELECT 1")).getMessage()
                .startsWith("put a space between %%sql and its arguments"));
    }

    @Test
    void optionsAreCheckedAgainstWhatTheMagicTakes() throws Exception {
        MagicArgs args = MagicArgs.parse(List.of("-q", "-n", "7"), java.util.Set.of("-q"), java.util.Set.of("-n", "-o"), 0);
        assertTrue(args.flag("-q"));
        assertEquals(7, args.intValue("-n", 0).orElseThrow());
        assertTrue(args.value("-o").isEmpty());

        assertEquals("unknown option -z; valid options: -n, -o, -q", assertThrows(MagicSyntaxException.class,
                () -> MagicArgs.parse(List.of("-z"), java.util.Set.of("-q"), java.util.Set.of("-n", "-o"), 0)).getMessage());
        assertEquals("-n needs a value", assertThrows(MagicSyntaxException.class,
                () -> MagicArgs.parse(List.of("-n"), java.util.Set.of(), java.util.Set.of("-n"), 0)).getMessage());
        assertEquals("-n must be a whole number of at least 0, not 'ten'", assertThrows(MagicSyntaxException.class,
                () -> MagicArgs.parse(List.of("-n", "ten"), java.util.Set.of(), java.util.Set.of("-n"), 0).intValue("-n", 0))
                .getMessage());
        assertEquals("-q is given twice", assertThrows(MagicSyntaxException.class,
                () -> MagicArgs.parse(List.of("-q", "-q"), java.util.Set.of("-q"), java.util.Set.of(), 0)).getMessage());
        assertEquals("unexpected argument: extra", assertThrows(MagicSyntaxException.class,
                () -> MagicArgs.parse(List.of("plt", "extra"), java.util.Set.of(), java.util.Set.of(), 1)).getMessage());
    }
}
