package io.hearth.engine.start;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The object storage defaults fill in only what the session left out. */
class ObjectStorageDefaultsTest {

    @Test
    void aSessionWithoutStorageSettingsGetsEveryDefault() {
        SparkConf conf = new SparkConf(false);
        ObjectStorageDefaults.apply(conf);
        ObjectStorageDefaults.DEFAULTS.forEach((key, value) -> assertEquals(value, conf.get("spark.hadoop." + key), key));
        assertEquals(ObjectStorageDefaults.S3A, conf.get("spark.hadoop.fs.s3.impl"));
    }

    @Test
    void whatTheSessionSetsIsKept() {
        SparkConf conf = new SparkConf(false)
                .set("spark.hadoop.fs.s3.impl", "com.example.EmrLikeFileSystem")
                .set("spark.hadoop.fs.s3a.retry.limit", "7")
                .set("spark.hadoop.fs.s3a.aws.credentials.provider",
                        "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider");
        ObjectStorageDefaults.apply(conf);
        assertEquals("com.example.EmrLikeFileSystem", conf.get("spark.hadoop.fs.s3.impl"));
        assertEquals("7", conf.get("spark.hadoop.fs.s3a.retry.limit"));
        assertEquals("org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
                conf.get("spark.hadoop.fs.s3a.aws.credentials.provider"));
        assertEquals(ObjectStorageDefaults.S3A, conf.get("spark.hadoop.fs.s3n.impl"), "the rest still defaults");
    }
}
