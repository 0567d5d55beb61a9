package dev.deploybot.build;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitRefTest {

    @ParameterizedTest
    @ValueSource(strings = {"main", "feature/login", "v1.2.3", "release/2026-11", "3f2a9c1",
            "0123456789abcdef0123456789abcdef01234567", "refs/tags/v2", "pr/123", "user_x+fix=1"})
    void acceptsBranchesTagsAndShas(String ref) {
        assertThat(GitRef.problemWith(ref)).isEmpty();
        assertThat(new GitRef(ref).value()).isEqualTo(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "main..evil", "a;rm -rf /", "$(id)", "`id`", "a|b", "a&b", "a>b",
            "-rf", "/abs", "trailing/", "x.lock", "dot.", "a//b", "a/.hidden", "tab\there", "new\nline",
            "nul\u0000", "quote'", "dq\"", "back\\slash", "glob*", "what?", "br[ack]", "t~1", "h^2", "a:b", "@{u}"})
    void refusesWhatIsNotAPlausibleRef(String ref) {
        assertThat(GitRef.problemWith(ref)).isPresent();
        assertThatThrownBy(() -> new GitRef(ref)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201})
    void refsAreAtMostTwoHundredCharacters(int length) {
        assertThat(GitRef.problemWith("a".repeat(length)).isEmpty()).isEqualTo(length <= 200);
    }

    @Property
    void noAcceptedRefContainsShellOrRangeSyntax(@ForAll @StringLength(max = 40) String text) {
        if (GitRef.problemWith(text).isEmpty()) {
            assertThat(text).doesNotContain("..", " ", "$", "`", ";", "|", "&", "<", ">", "\\", "'", "\"", "\n");
            assertThat(text).doesNotStartWith("-");
        }
    }
}
