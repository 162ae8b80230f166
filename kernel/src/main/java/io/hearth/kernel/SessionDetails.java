package io.hearth.kernel;

/** A session as {@code GET /sessions} lists it, with the fields {@code %%info} and {@code %%cleanup} show or use. */
public record SessionDetails(int id, String name, String owner, String state, String kind, String appId, AppInfo appInfo) {

    /** Livy's {@code appInfo}: links into the Spark application, null when unknown. */
    public record AppInfo(String driverLogUrl, String sparkUiUrl) {}

    /** The Spark UI link, or null. */
    public String sparkUiUrl() {
        return appInfo == null ? null : appInfo.sparkUiUrl();
    }

    /** The driver log link, or null. */
    public String driverLogUrl() {
        return appInfo == null ? null : appInfo.driverLogUrl();
    }
}
