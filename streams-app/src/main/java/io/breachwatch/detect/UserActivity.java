package io.breachwatch.detect;

import org.apache.kafka.common.serialization.Serde;

import java.util.ArrayList;
import java.util.List;

/**
 * One user's entry in the store {@value UserActivityDetection#STORE}, shared by dormant-account and session-hijack:
 * the user's last activity and open sessions. Both rules see nearly every event of a user, so one entry costs one
 * store read and one write per event where a store per rule cost two of each (and, live, one changelog record
 * instead of two). Mutable: read, apply the event, write back.
 */
public final class UserActivity {
    /** No last activity known (dormant-account off, or only attempts seen). */
    static final long NONE = Long.MIN_VALUE;
    static final Serde<UserActivity> SERDE = KeyedStateDetection.serde("user activity", (u, out) -> {
        out.writeLong(u.lastSeen);
        out.writeInt(u.sessions.size());
        for (var s : u.sessions) {
            out.writeUTF(s.id());
            SessionHijackRule.SessionState.write(s.state(), out);
        }
    }, in -> {
        var u = new UserActivity();
        u.lastSeen = in.readLong();
        var n = in.readInt();
        for (int i = 0; i < n; i++) {
            u.sessions.add(new Session(in.readUTF(), SessionHijackRule.SessionState.read(in)));
        }
        return u;
    });

    /** One open session of the user, by its session_id. */
    public record Session(String id, SessionHijackRule.SessionState state) {
    }

    /** dormant-account: the last activity (event time, kept to the hour), or {@link #NONE}. */
    long lastSeen = NONE;
    /** session-hijack: the user's sessions not yet idle (usually one). */
    final List<Session> sessions = new ArrayList<>(1);

    /** The last activity, or null when none is known. */
    public Long lastSeen() {
        return lastSeen == NONE ? null : lastSeen;
    }

    /** The open session {@code id}, or null. */
    public SessionHijackRule.SessionState session(String id) {
        for (var s : sessions) {
            if (s.id().equals(id)) {
                return s.state();
            }
        }
        return null;
    }

    /**
     * Adds session {@code id} (not open yet) as {@code state}; when {@code max} are open already, the one whose last
     * event is oldest is forgotten first.
     */
    SessionHijackRule.SessionState open(String id, SessionHijackRule.SessionState state, int max) {
        if (sessions.size() >= max) {
            var oldest = 0;
            for (int i = 1; i < sessions.size(); i++) {
                if (sessions.get(i).state().lastSeen() < sessions.get(oldest).state().lastSeen()) {
                    oldest = i;
                }
            }
            sessions.remove(oldest);
        }
        sessions.add(new Session(id, state));
        return state;
    }

    public List<Session> sessions() {
        return List.copyOf(sessions);
    }

    boolean isEmpty() {
        return lastSeen == NONE && sessions.isEmpty();
    }

    /**
     * Forgets what no longer matters at {@code now}: a last activity older than {@code lastSeenTtl} and sessions idle
     * for {@code idleTimeout} or more; a null TTL (its rule is off) forgets that part altogether.
     *
     * @return whether anything was forgotten
     */
    boolean expire(long now, Long lastSeenTtl, Long idleTimeout) {
        var changed = false;
        if (lastSeen != NONE && (lastSeenTtl == null || lastSeen + lastSeenTtl <= now)) {
            lastSeen = NONE;
            changed = true;
        }
        if (!sessions.isEmpty()) {
            changed |= idleTimeout == null ? clearSessions() : sessions.removeIf(s -> s.state().lastSeen() + idleTimeout <= now);
        }
        return changed;
    }

    private boolean clearSessions() {
        sessions.clear();
        return true;
    }
}
