package io.hearth.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Statement kinds by their wire names and Livy's aliases, and the kind of a statement that names none. */
class StatementKindTest {

    @Test
    void wireNamesAndAliasesInAnyCaseNameTheirKind() {
        assertEquals(Optional.of(StatementKind.PYSPARK), StatementKind.parse("python"));
        assertEquals(Optional.of(StatementKind.PYSPARK), StatementKind.parse(" PySpark "));
        assertEquals(Optional.of(StatementKind.SPARK), StatementKind.parse("scala"));
        assertEquals(Optional.of(StatementKind.SQL), StatementKind.parse("sql"));
        assertEquals(Optional.of(StatementKind.JAVA), StatementKind.parse("java"));
        assertEquals(Optional.empty(), StatementKind.parse("sparkr"));
        assertEquals(Optional.empty(), StatementKind.parse(null));
    }

    @Test
    void aStatementWithoutAKindIsPyspark() {
        assertEquals(StatementKind.PYSPARK, StatementKind.DEFAULT);
        assertEquals(Optional.of(StatementKind.DEFAULT), StatementKind.ofStatement(null));
        assertEquals(Optional.of(StatementKind.DEFAULT), StatementKind.ofStatement(" "));
        assertEquals(Optional.of(StatementKind.SQL), StatementKind.ofStatement("SQL"));
        assertEquals(Optional.empty(), StatementKind.ofStatement("r"));
    }

    @Test
    void aListOfKindsIsDescribedWithTheirAliases() {
        assertEquals("pyspark (python), spark (scala), sql, java", StatementKind.describe(List.of(StatementKind.values())));
    }
}
