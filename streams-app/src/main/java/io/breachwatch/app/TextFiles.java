package io.breachwatch.app;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** UTF-8 text in and out, where {@code -} means stdin or stdout (which are left open). */
final class TextFiles {
    private static final int BUFFER = 1 << 16;

    private TextFiles() {
    }

    static Writer writer(String name) throws IOException {
        if ("-".equals(name)) {
            return new BufferedWriter(new OutputStreamWriter(new NonClosingOutputStream(System.out), StandardCharsets.UTF_8), BUFFER);
        }
        var path = Path.of(name);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        return Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    }

    static BufferedReader reader(String name) throws IOException {
        if ("-".equals(name)) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), BUFFER);
        }
        try {
            return Files.newBufferedReader(Path.of(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("input file not found: " + name, e);
        }
    }

    /** Size of the file in bytes, or -1 for stdin. */
    static long size(String name) {
        try {
            return "-".equals(name) ? -1 : Files.size(Path.of(name));
        } catch (IOException e) {
            return -1;
        }
    }

    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
        NonClosingOutputStream(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
