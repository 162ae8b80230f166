package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.http.ApiException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rule that picks an engine's OS account, over a fixed account table (the real lookup and the real privilege step
 * run in EnginesRunAsTheirUsersTest): proxyUser before owner, the operator's map, refusals that say what to do.
 */
class EngineAccountsTest {

    private final Map<String, OsAccount> table = Map.of(
            "alice", new OsAccount("alice", 1001, 1001, Path.of("/home/alice")),
            "hearth-bob", new OsAccount("hearth-bob", 1002, 1002, Path.of("/home/hearth-bob")),
            "root", new OsAccount("root", 0, 0, Path.of("/root")));
    private final List<String> looked = new ArrayList<>();
    private final EngineAccounts.Lookup lookup = name -> {
        looked.add(name);
        return Optional.ofNullable(table.get(name));
    };

    @Test
    void theProxyUserWinsOverTheOwnerThroughTheOperatorsMap() {
        EngineAccounts sameName = EngineAccounts.perUser("{user}", lookup);
        assertEquals("alice", sameName.forSession("alice", null).orElseThrow().name());
        assertEquals("alice", sameName.forSession("admin", "alice").orElseThrow().name());
        EngineAccounts prefixed = EngineAccounts.perUser("hearth-{user}", lookup);
        assertEquals("hearth-bob", prefixed.forSession("bob", null).orElseThrow().name());
    }

    @Test
    void aUserWithoutAnAccountOrMappedToRootIsRefusedSayingWhatToDo() {
        EngineAccounts accounts = EngineAccounts.perUser("{user}", lookup);
        ApiException none = assertThrows(ApiException.class, () -> accounts.forSession("carol", null));
        assertEquals(403, none.status());
        assertTrue(none.getMessage().contains("'carol'") && none.getMessage().contains("hearth.engine.os-user-map")
                && none.getMessage().contains("hearth.engine.shared-os-user=true"), none.getMessage());
        ApiException root = assertThrows(ApiException.class, () -> accounts.forSession("root", null));
        assertEquals(403, root.status());
        assertTrue(root.getMessage().contains("never runs as root"), root.getMessage());
        ApiException anonymous = assertThrows(ApiException.class, () -> accounts.forSession(null, null));
        assertEquals(403, anonymous.status());
    }

    @Test
    void theGatewaysOwnAccountLooksNothingUp() {
        assertTrue(EngineAccounts.gatewayOwn().forSession("carol", "dave").isEmpty());
        assertTrue(looked.isEmpty(), looked.toString());
        assertThrows(IllegalArgumentException.class, () -> EngineAccounts.perUser("alice", lookup));
    }

    @Test
    void namesThatAreNotAccountNamesAreNeverLookedUp() throws Exception {
        assertTrue(OsAccount.lookup("-x").isEmpty());
        assertTrue(OsAccount.lookup("a b").isEmpty());
        assertTrue(OsAccount.lookup("alice@EXAMPLE.COM").isEmpty());
        assertEquals(0, OsAccount.lookup("root").orElseThrow().uid());
    }
}
