package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.Suppression;
import org.slf4j.MDC;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * The chunks a run is to open, each with the suppression entries of its recipients: the two reads
 * a chunk needs before its mails can go. With {@code ahead} above zero they are read on a thread of
 * their own, that many chunks ahead, while the calls of the chunks open are in flight (the reads
 * otherwise stall the sending); with zero, as each chunk is asked for. Reading ahead, an address
 * suppressed while the run sends is spared from the chunk after the ones read.
 */
final class ChunkPrefetcher implements Iterator<ChunkPrefetcher.Ready>, AutoCloseable {

    /** A chunk as read, and the suppression entries of its pending recipients by address key. */
    record Ready(Chunk chunk, Map<String, Suppression> suppressed) {
    }

    private static final Object END = new Object();

    private final Iterator<Chunk> chunks;
    private final Function<Chunk, Map<String, Suppression>> lookUp;
    private final int ahead;
    private BlockingQueue<Object> read;
    private Thread reader;
    /** The next item: a {@link Ready}, {@link #END}, or what stopped the reader; null until known. */
    private Object next;

    ChunkPrefetcher(Iterator<Chunk> chunks, Function<Chunk, Map<String, Suppression>> lookUp, int ahead) {
        this.chunks = chunks;
        this.lookUp = lookUp;
        this.ahead = ahead;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = ahead == 0 ? readOne() : take();
        }
        if (next instanceof Error error) {
            throw error;
        }
        if (next instanceof RuntimeException exception) {
            throw exception;
        }
        return next != END;
    }

    @Override
    public Ready next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Ready ready = (Ready) next;
        next = null;
        return ready;
    }

    private Object readOne() {
        if (!chunks.hasNext()) {
            return END;
        }
        Chunk chunk = chunks.next();
        return new Ready(chunk, lookUp.apply(chunk));
    }

    private Object take() {
        if (reader == null) {
            read = new ArrayBlockingQueue<>(ahead);
            Map<String, String> logContext = MDC.getCopyOfContextMap();
            reader = new Thread(() -> readAhead(logContext), "herald-prefetch");
            reader.setDaemon(true);
            reader.start();
        }
        try {
            return read.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the next chunk", e);
        }
    }

    private void readAhead(Map<String, String> logContext) {
        if (logContext != null) {
            MDC.setContextMap(logContext);
        }
        try {
            Object item;
            do {
                try {
                    item = readOne();
                } catch (RuntimeException | Error e) {
                    item = e;
                }
                read.put(item);
            } while (item instanceof Ready);
        } catch (InterruptedException stopped) {
            // The run closed the prefetcher: nothing more is wanted.
        }
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.interrupt();
        }
    }
}
