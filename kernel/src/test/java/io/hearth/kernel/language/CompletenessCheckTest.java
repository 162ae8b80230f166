package io.hearth.kernel.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.kernel.livy.StatementKind;
import org.junit.jupiter.api.Test;

/** is_complete answered in the kernel, per language; the Python cases are ipykernel's own answers. */
class CompletenessCheckTest {

    private static void assertVerdict(StatementKind kind, String code, String status, String indent) {
        CompletenessCheck.Verdict verdict = new CompletenessCheck(kind).check(code);
        assertEquals(status, verdict.status(), kind + ": " + code);
        if (indent != null) {
            assertEquals(indent, verdict.indent(), kind + ": " + code);
        }
    }

    private static void python(String code, String status) {
        assertVerdict(StatementKind.PYSPARK, code, status, null);
    }

    @Test
    void pythonBracketsStringsBlocksAndContinuations() {
        assertVerdict(StatementKind.PYSPARK, "1 + 1", "complete", null);
        assertVerdict(StatementKind.PYSPARK, "print('a # not a comment')", "complete", null);
        assertVerdict(StatementKind.PYSPARK, "x = [1, 2  # open", "incomplete", "");
        assertVerdict(StatementKind.PYSPARK, "s = '''first line", "incomplete", null);
        assertVerdict(StatementKind.PYSPARK, "def f(x):", "incomplete", "    ");
        assertVerdict(StatementKind.PYSPARK, "for i in range(3):\n    if i:", "incomplete", "        ");
        assertVerdict(StatementKind.PYSPARK, "for i in range(3):\n    print(i)", "incomplete", "    ");
        assertVerdict(StatementKind.PYSPARK, "for i in range(3):\n    print(i)\n\n", "complete", null);
        assertVerdict(StatementKind.PYSPARK, "total = 1 + \\", "incomplete", "");
        assertVerdict(StatementKind.PYSPARK, "@property", "incomplete", "");
        assertVerdict(StatementKind.PYSPARK, "print('hello)", "invalid", null);
        assertVerdict(StatementKind.PYSPARK, "x = (1, 2]", "invalid", null);
        assertVerdict(StatementKind.PYSPARK, ")", "invalid", null);
        assertVerdict(StatementKind.PYSPARK, "   ", "complete", null);
        // An open bracket wins, as in ipykernel: the rest of the line may still come.
        python("x = (1 =", "incomplete");
    }

    @Test
    void pythonCodeNoTextCanRepairIsInvalidAsIpykernelSays() {
        for (String code : new String[] {"x = = 1", "x =", "x = 1 +", "x = 1 +  # c", "a = b = = c", "x += = 1",
                "x ==", "x = ;", "f(x=)", "x = (1 +)", "x = y %", "x = -", "x = ~", "x = not", "def f() ->: pass",
                "x.", "a.b.", "x..y", "x.1", "print x", "x y", "1 2", "\"a\" b", "print(1)2", "x...",
                "x = 1 if y else", "print(1) if", "x = lambda", "if x:\n    pass\nelse", "not in",
                "x = 1\ny = ", "if x:\n    y = = 1"}) {
            python(code, "invalid");
        }
    }

    @Test
    void pythonCodeThatLooksOddButIsValidStaysComplete() {
        for (String code : new String[] {"a = -1", "def f(*, a): pass", "def f(a, /): pass", "from x import *",
                "x = *a, b", "lambda: 0", "from . import x", "from .. import y", "from .mod import z", "x = ...",
                "x[::2]", "x[1:]", "x[-1:]", "x = (1,)", "x,", "del x,", "a if b else c", "\"a\" \"b\"",
                "x = not y", "x = a not in b", "x is not y", "f(*a, **k)", "x = {**a}", "def f(x=-1): pass",
                "def f(a: int = 1, *args: str, **kw) -> None: pass", "(x := 1)", "x: int = 1", "1 .real",
                "x = 0x1f", "x = 1e-5", "x = 1_000j", "print(\"%s\" % x)", "f\"{x=}\"", "f'{x:>10}'",
                "f\"{d['k']!r:{width}}\"", "rb'\\x00' + b\"\"", "x = y @ z", "match command:\n    case _:\n        pass\n\n",
                "print?", "len??", "x = 1; y = 2", "print(x)  # done", "a = b\\\n    + c", "x = foo(\n    1)", "!ls", "async def f(): pass"}) {
            python(code, "complete");
        }
    }

    @Test
    void lineMagicsAreStatementsOfTheirOwn() {
        python("%logs", "complete");
        python("%matplot plt", "complete");
        python("x = 1\n%logs -n 5\ny = 2", "complete");
        assertVerdict(StatementKind.SQL, "%logs", "complete", null);
        assertVerdict(StatementKind.SQL, "%logs\nSELECT 1", "incomplete", null);
    }

    @Test
    void scalaAndJava() {
        assertVerdict(StatementKind.SPARK, "val x = 1", "complete", null);
        assertVerdict(StatementKind.SPARK, "def f(x: Int) = {", "incomplete", null);
        assertVerdict(StatementKind.SPARK, "val s = \"\"\"multi\nline", "incomplete", null);
        assertVerdict(StatementKind.SPARK, "/* a comment", "incomplete", null);
        assertVerdict(StatementKind.SPARK, "val s = \"}\"", "complete", null);
        assertVerdict(StatementKind.SPARK, "val s = \"open", "invalid", null);
        assertVerdict(StatementKind.SPARK, "val x = (1 + 2}", "invalid", null);
        assertVerdict(StatementKind.JAVA, "int x = 1; // {", "complete", null);
        assertVerdict(StatementKind.JAVA, "for (int i = 0; i < 3; i++) {", "incomplete", null);
        assertVerdict(StatementKind.JAVA, "char c = '}';", "complete", null);
        assertVerdict(StatementKind.JAVA, "String s = \"\"\"\n text block", "incomplete", null);
        assertVerdict(StatementKind.JAVA, "}", "invalid", null);
    }

    @Test
    void scalaJudgesItsReservedSymbolsAndWaitsForWhatAnEndingNeeds() {
        for (String code : new String[] {"val x = = 1", "val x = )", "f(a = )", "for (x <- ) yield x", "x.)",
                "val y = => 1"}) {
            assertVerdict(StatementKind.SPARK, code, "invalid", null);
        }
        for (String code : new String[] {"val x =", "1 +", "spark.", "if (ready)", "while (x < 3)",
                "for (x <- xs)", "val r = if (a) 1 else", "xs.map(_ + 1) ++"}) {
            assertVerdict(StatementKind.SPARK, code, "incomplete", "  ");
        }
        for (String code : new String[] {"import spark.implicits._", "val f = (x: Int) => x + 1", "x.+(1)", "a ++ b",
                "case class P(name: String, age: Int)", "xs.foldLeft(0)(_ + _)", "val s = s\"${m(\"k\")} done\"",
                "val c = 'a'", "val sym = 'name", "xs: _*", "val `type` = 1", "{ case x => }",
                "def unary_! = this", "val s = raw\"\\d+\"", "val t = \"\"\"a \"quoted\" b\"\"\""}) {
            assertVerdict(StatementKind.SPARK, code, "complete", null);
        }
    }

    @Test
    void javaJudgesOperatorsAndWaitsForWhatAnEndingNeeds() {
        for (String code : new String[] {"int x = = 1;", "int x = ;", "f(a + );", "boolean b = x && ;", "x.);",
                "int y = * 2;"}) {
            assertVerdict(StatementKind.JAVA, code, "invalid", null);
        }
        for (String code : new String[] {"int x =", "1 +", "spark.", "if (ready)", "for (String s : list)",
                "boolean b = a &&", "else", "String s = cond ?"}) {
            assertVerdict(StatementKind.JAVA, code, "incomplete", "  ");
        }
        for (String code : new String[] {"1 + 2", "int x = -1;", "import java.util.*;", "import java.util.*",
                "List<List<String>> l = new ArrayList<>();", "Map<?, ?> m = null;", "Function<String, Integer> f = String::length;",
                "Runnable r = () -> {};", "int y = cond ? 1 : 2;", "for (;;) { break; }", "i++;", "a = b = c;",
                "String s = Collections.<String>emptyList().toString();", "@SuppressWarnings(\"x\") int z = 1;",
                "Class<?> c = int[].class;", "x = !y;", "void f(String... args) {}", "catch (A | B e) {}"}) {
            assertVerdict(StatementKind.JAVA, code, "complete", null);
        }
    }

    @Test
    void sqlIsCompleteOnlyAtASemicolon() {
        assertVerdict(StatementKind.SQL, "SELECT 1;", "complete", null);
        assertVerdict(StatementKind.SQL, "SELECT 1; -- done", "complete", null);
        assertVerdict(StatementKind.SQL, "SELECT 1", "incomplete", "");
        assertVerdict(StatementKind.SQL, "SELECT ';' AS semicolon", "incomplete", null);
        assertVerdict(StatementKind.SQL, "SELECT 'it''s;", "incomplete", null);
        assertVerdict(StatementKind.SQL, "SELECT (1 + 2;", "incomplete", null);
        assertVerdict(StatementKind.SQL, "SELECT 1);", "invalid", null);
    }

    @Test
    void sqlJudgesOperators() {
        for (String code : new String[] {"SELECT * FROM t WHERE x = = 1;", "SELECT 1 +;", "SELECT a, (b +) FROM t;",
                "SELECT f(a => );", "SELECT t.;"}) {
            assertVerdict(StatementKind.SQL, code, "invalid", null);
        }
        for (String code : new String[] {"SELECT count(*) FROM t;", "SELECT a.*, b.`odd name` FROM t a;",
                "SELECT CAST(x AS ARRAY<INT>), CAST(m AS MAP<STRING, ARRAY<INT>>) FROM t;", "SELECT x::int;",
                "SELECT 'it\\'s';", "SELECT a <=> b, a <> b, a || b FROM t;", "SELECT transform(xs, x -> x + 1);",
                "SELECT -1, - 2, 10 % 3;", "SELECT * FROM t WHERE x = ?;", "SELECT ${var};",
                "SELECT /* a /* nested */ comment */ 1;"}) {
            assertVerdict(StatementKind.SQL, code, "complete", null);
        }
    }
}
