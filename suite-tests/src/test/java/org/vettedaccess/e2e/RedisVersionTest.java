package org.vettedaccess.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** The suite's Redis is the major version the cluster runs (kubernetes/base/platform/redis.yaml). */
@ExtendWith(RunningSuite.class)
class RedisVersionTest {

    @Test
    void theSuitesRedisHasTheClustersMajorVersion(LocalSuite suite) throws Exception {
        String manifest =
                Files.readString(Path.of(System.getProperty("suite.root"), "kubernetes/base/platform/redis.yaml"));
        Matcher image = Pattern.compile("image: \\S*redis:([0-9]+)\\.").matcher(manifest);
        assertTrue(image.find(), "no redis image in the manifest");

        URI redis = URI.create(suite.redisUrl());
        String info;
        try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            StringBuilder reply = new StringBuilder();
            while (!reply.toString().contains("redis_version:")
                    || !reply.toString()
                            .substring(reply.indexOf("redis_version:"))
                            .contains("\r\n")) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                reply.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
            }
            info = reply.toString();
        }
        Matcher version = Pattern.compile("redis_version:([0-9]+)\\.").matcher(info);
        assertTrue(version.find(), info);
        assertEquals(image.group(1), version.group(1), "Redis major version: the suite's against the cluster's");
    }
}
