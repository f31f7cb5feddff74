package io.earshot.jobs.listening;

import java.io.Serializable;

/**
 * The phrase and pattern lists of one language that {@link BehaviourDetector} matches
 * utterances against: resources per language, or a file named in configuration.
 *
 * <p>Placeholder of the shared interface; its content is being written.
 */
public final class PhraseBook implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String language;

    private PhraseBook(String language) {
        this.language = language;
    }

    /** The built-in lists of a language ("en"). */
    public static PhraseBook builtIn(String language) {
        return new PhraseBook(language);
    }

    /** A phrase file of the user's own. */
    public static PhraseBook read(java.nio.file.Path file) {
        throw new UnsupportedOperationException("phrase files are not read yet: " + file);
    }

    public String language() {
        return language;
    }
}
