package io.rollbook.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says what went wrong with a file in words: the JDK's file exceptions often carry nothing but the path
 * ({@code NoSuchFileException: /etc/rollbook.json}), which reads as if the path itself were the error.
 *
 * <p>Stateless; any thread.
 */
public final class FileErrors
{
    private FileErrors()
    {
    }

    /**
     * @return why the operation failed, without the path: "no such file or directory", "permission denied", ...
     */
    public static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return "already exists";
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory";
        }
        if (ex instanceof FileSystemException && ((FileSystemException)ex).getReason() != null)
        {
            return ((FileSystemException)ex).getReason();
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
    }

    /**
     * @return the message of a failure of the command line: for a file problem the file and why, otherwise the
     * exception's own message
     */
    public static String describe(final Throwable ex)
    {
        final Throwable cause = ex instanceof UncheckedIOException ? ex.getCause() : ex;
        if (cause instanceof FileSystemException && ((FileSystemException)cause).getFile() != null)
        {
            final FileSystemException file = (FileSystemException)cause;
            return file.getFile() + (file.getOtherFile() != null ? " -> " + file.getOtherFile() : "") + ": " +
                reason(file);
        }
        if (cause instanceof IOException)
        {
            return reason((IOException)cause);
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }
}
