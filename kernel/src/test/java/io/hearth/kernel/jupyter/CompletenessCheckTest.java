package io.hearth.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** is_complete answered in the kernel, per language. */
class CompletenessCheckTest {

    private static void assertVerdict(String kind, String code, String status, String indent) {
        CompletenessCheck.Verdict verdict = new CompletenessCheck(kind).check(code);
        assertEquals(status, verdict.status(), kind + ": " + code);
        if (indent != null) {
            assertEquals(indent, verdict.indent(), kind + ": " + code);
        }
    }

    @Test
    void python() {
        assertVerdict("pyspark", "1 + 1", "complete", null);
        assertVerdict("pyspark", "print('a # not a comment')", "complete", null);
        assertVerdict("pyspark", "x = [1, 2  # open", "incomplete", "");
        assertVerdict("pyspark", "s = '''first line", "incomplete", null);
        assertVerdict("pyspark", "def f(x):", "incomplete", "    ");
        assertVerdict("pyspark", "for i in range(3):\n    if i:", "incomplete", "        ");
        assertVerdict("pyspark", "for i in range(3):\n    print(i)", "incomplete", "    ");
        assertVerdict("pyspark", "for i in range(3):\n    print(i)\n\n", "complete", null);
        assertVerdict("pyspark", "total = 1 + \\", "incomplete", "");
        assertVerdict("pyspark", "print('hello)", "invalid", null);
        assertVerdict("pyspark", "x = (1, 2]", "invalid", null);
        assertVerdict("pyspark", ")", "invalid", null);
        assertVerdict("pyspark", "   ", "complete", null);
    }

    @Test
    void scalaAndJava() {
        assertVerdict("spark", "val x = 1", "complete", null);
        assertVerdict("spark", "def f(x: Int) = {", "incomplete", null);
        assertVerdict("spark", "val s = \"\"\"multi\nline", "incomplete", null);
        assertVerdict("spark", "/* a comment", "incomplete", null);
        assertVerdict("spark", "val s = \"}\"", "complete", null);
        assertVerdict("spark", "val s = \"open", "invalid", null);
        assertVerdict("spark", "val x = (1 + 2}", "invalid", null);
        assertVerdict("java", "int x = 1; // {", "complete", null);
        assertVerdict("java", "for (int i = 0; i < 3; i++) {", "incomplete", null);
        assertVerdict("java", "char c = '}';", "complete", null);
        assertVerdict("java", "String s = \"\"\"\n text block", "incomplete", null);
        assertVerdict("java", "}", "invalid", null);
    }

    @Test
    void sqlIsCompleteOnlyAtASemicolon() {
        assertVerdict("sql", "SELECT 1;", "complete", null);
        assertVerdict("sql", "SELECT 1; -- done", "complete", null);
        assertVerdict("sql", "SELECT 1", "incomplete", "");
        assertVerdict("sql", "SELECT ';' AS semicolon", "incomplete", null);
        assertVerdict("sql", "SELECT 'it''s;", "incomplete", null);
        assertVerdict("sql", "SELECT (1 + 2;", "incomplete", null);
        assertVerdict("sql", "SELECT 1);", "invalid", null);
    }
}
