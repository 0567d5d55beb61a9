package dev.deploybot.build;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A branch, tag or commit SHA as a person typed it. Only plausible git refs get through: the value
 * ends up in a CodeBuild source version and often in build scripts, so anything that could be
 * read as shell or as a git range is refused before any AWS call.
 */
public record GitRef(String value) {
    static final int MAX_LENGTH = 200;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+=-]*");

    public GitRef {
        String problem = problemWith(value).orElse(null);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why the text is not a usable ref, or empty when it is one. */
    public static Optional<String> problemWith(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.of("the ref is empty");
        }
        if (text.length() > MAX_LENGTH) {
            return Optional.of("the ref is longer than " + MAX_LENGTH + " characters");
        }
        if (!SHAPE.matcher(text).matches()) {
            return Optional.of("a ref may only contain letters, digits and . _ / + = - (and must start with a letter or digit)");
        }
        if (text.contains("..") || text.contains("//") || text.endsWith("/") || text.endsWith(".")
                || text.endsWith(".lock") || text.contains("/.")) {
            return Optional.of("that is not a valid git ref name");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
