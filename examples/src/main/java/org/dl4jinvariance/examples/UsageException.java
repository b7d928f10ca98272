package org.dl4jinvariance.examples;

/**
 * A command-line value the experiment refuses, found before any model is trained. {@link Main}
 * prints its message as a one-line usage error and exits with code 2, without a stack trace; a
 * caller of an experiment's {@code run()} gets it as the {@link IllegalArgumentException} it is.
 *
 * <p>The message names the option, the value given and what was expected, e.g.
 * {@code --index -1: expected a digit number from 0 to 9,999 (the 10,000 embedded MNIST digits)}.
 */
public final class UsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
