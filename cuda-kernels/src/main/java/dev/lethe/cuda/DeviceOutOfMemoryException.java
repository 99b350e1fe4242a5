package dev.lethe.cuda;

/** The device had no block of the asked size, even after emptying the cache and a garbage collection. */
public final class DeviceOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeviceOutOfMemoryException(String message) {
        super(message);
    }
}
