package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.gateway.GatewayException;
import io.hearth.kernel.livy.RemoteSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code %%cleanup -f}: deletes every session of the caller on the gateway, this kernel's own included (the next cell
 * starts a new one). The caller is the owner of the kernel's session; without one, the listed sessions must all have
 * one owner, since a superuser's listing also holds other users' sessions.
 */
public final class CleanupMagic implements Magic {

    @Override
    public String name() {
        return "cleanup";
    }

    @Override
    public String usage() {
        return "%%cleanup -f";
    }

    @Override
    public String summary() {
        return "Deletes all your sessions on the gateway, this kernel's included (-f confirms; the next cell starts a new one).";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs args = MagicArgs.parse(call.args(), Set.of("-f"), Set.of(), 0);
        if (!args.flag("-f")) {
            throw new MagicSyntaxException("add -f to confirm: every one of your sessions, this kernel's included, is deleted");
        }
        List<RemoteSession> targets;
        OptionalInt own = context.sessions().current();
        try {
            targets = mine(context.gateway().client().listSessions(), own);
        } catch (GatewayException e) {
            throw MagicErrors.gateway(e);
        }
        List<Integer> deleted = new ArrayList<>();
        for (RemoteSession s : targets) {
            try {
                context.gateway().client().removeSession(s.id());
            } catch (GatewayException e) {
                if (!e.isNotFound()) { // gone meanwhile counts as deleted
                    throw MagicErrors.gateway(e);
                }
            }
            if (own.isPresent() && own.getAsInt() == s.id()) {
                context.sessions().forget(s.id());
            }
            deleted.add(s.id());
        }
        sink.stream("stdout", deleted.isEmpty() ? "No sessions to delete.\n"
                : "Deleted session" + (deleted.size() > 1 ? "s " : " ")
                + deleted.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ".\n");
        return new JsonObject();
    }

    private static List<RemoteSession> mine(List<RemoteSession> listed, OptionalInt own) throws CellFailure {
        if (own.isPresent()) {
            // The owner of the kernel's session is the caller (null when the gateway has no authentication).
            String me = null;
            for (RemoteSession s : listed) {
                if (s.id() == own.getAsInt()) {
                    me = s.owner();
                }
            }
            String caller = me;
            return listed.stream().filter(s -> Objects.equals(s.owner(), caller) || s.id() == own.getAsInt()).toList();
        }
        Set<String> owners = listed.stream().map(s -> Objects.requireNonNullElse(s.owner(), "")).collect(Collectors.toSet());
        if (owners.size() > 1) {
            throw MagicErrors.failure("the gateway lists sessions of several users (" + String.join(", ", owners)
                    + "), so it cannot tell which are yours", "Run any cell first (this kernel's session tells who you are), "
                    + "or delete sessions one by one with %%delete -s ID -f.");
        }
        return listed;
    }
}
