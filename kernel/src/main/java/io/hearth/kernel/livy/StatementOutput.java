package io.hearth.kernel.livy;

import com.google.gson.JsonObject;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.annotations.SerializedName;
import java.util.List;

/**
 * Livy's statement {@code output}: {@code {status: "ok", execution_count, data}} on success,
 * {@code {status: "error", execution_count, ename, evalue, traceback}} on failure.
 */
public record StatementOutput(
        String status,
        @SerializedName("execution_count") Integer executionCount,
        @JsonAdapter(NullableJsonObjectAdapter.class) JsonObject data,
        String ename,
        String evalue,
        List<String> traceback) {

    /** True for a successful statement. */
    public boolean isOk() {
        return "ok".equals(status);
    }

    /** True for a statement that raised. */
    public boolean isError() {
        return "error".equals(status);
    }
}
